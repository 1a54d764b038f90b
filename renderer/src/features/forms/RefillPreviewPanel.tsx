import type { NextDueRule, RefillPreview } from '../../../../shared/contract/record';
import { assertNever } from '../../../../shared/contract/result';
import { WithdrawalWarnings } from '../../components/WithdrawalWarnings';
import { date, discrepancy, exactML, localDates, mL, mLPerDay } from '../../format';

export function ruleText(rule: NextDueRule): string {
  switch (rule) {
    case 'alarm':
      return 'low-reservoir alarm less the safety margin';
    case 'stability':
      return 'drug stability limit';
    case 'max_interval':
      return 'maximum refill interval';
  }
  return assertNever(rule, 'rule');
}


/** What the refill would compute, shown as the fields are typed and before anything is saved. */
export function RefillPreviewPanel({ preview, problem: previewProblem }: { preview: RefillPreview | null; problem: string | null }) {
  const flagged = preview?.discrepancyFlag === true;
  // A flagged discrepancy is said once, in its own banner (main's warning names the expected residual and the causes).
  const discrepancyWarning = flagged ? preview.warnings.find((w) => w.field === 'withdrawnMl') : undefined;
  const otherWarnings = preview ? preview.warnings.filter((w) => w !== discrepancyWarning) : [];
  const emptySince = preview?.estimatedEmptySince ?? null;
  return (
  <section className="refill-preview" aria-label="Refill preview" aria-live="polite">
    <h4>Before saving</h4>
    {preview ? (
      <>
        {emptySince !== null && (
          <div className="urgency urgency-empty" role="alert" data-testid="preview-empty">
            <p>
              The pump is estimated empty since {date(emptySince)}: it ran dry before this visit, so the expected residual
              {preview.expectedResidualUl !== null && ` of ${mL(preview.expectedResidualUl)}`} is not a check of the pump — risk of withdrawal. Assess the patient before refilling.
            </p>
            <WithdrawalWarnings warnings={preview.withdrawalWarnings} />
          </div>
        )}
        {emptySince === null && preview.alarmingSince !== null && (
          <div className="urgency urgency-alarm" role="alert" data-testid="preview-alarming">
            <p>The pump has been alarming since {date(preview.alarmingSince)} (low reservoir, estimated).</p>
            <WithdrawalWarnings warnings={preview.withdrawalWarnings} />
          </div>
        )}
        <dl className="facts">
          <div>
            <dt>Expected residual</dt>
            <dd data-testid="preview-expected">
              {mL(preview.expectedResidualUl)}
              {emptySince !== null && ` (estimated empty since ${date(emptySince)})`}
            </dd>
          </div>
          <div>
            <dt>Discrepancy</dt>
            <dd data-testid="preview-discrepancy">
              {discrepancy(preview.discrepancyUl, preview.discrepancyPct)}
            </dd>
          </div>
          <div>
            <dt>Against the {exactML(preview.thresholdUl)} threshold</dt>
            <dd data-testid="preview-flag">
              {preview.discrepancyFlag === null
                ? 'Not applicable (first fill)'
                : preview.discrepancyFlag
                  ? 'Flagged'
                  : emptySince !== null
                    ? `Not a check: the pump is estimated empty since ${date(emptySince)}`
                    : 'Within threshold'}
            </dd>
          </div>
          <div>
            <dt>New daily volume</dt>
            <dd>{mLPerDay(preview.dailyVolumeUl)}</dd>
          </div>
          <div>
            <dt>Alarm date</dt>
            <dd data-testid="preview-alarm">{date(preview.alarmDate)}</dd>
          </div>
          <div>
            <dt>Empty date</dt>
            <dd>{date(preview.emptyDate)}</dd>
          </div>
          <div>
            <dt>Next due</dt>
            <dd data-testid="preview-next-due">
              {date(preview.nextDueDate)}
              {preview.nextDueRule && ` (${ruleText(preview.nextDueRule)})`}
            </dd>
          </div>
        </dl>
        {otherWarnings.length > 0 && (
          <ul className="banner banner-warn preview-warnings" aria-label="Warnings">
            {otherWarnings.map((w, i) => (
              <li key={i}>{localDates(w.message)}</li>
            ))}
          </ul>
        )}
        {flagged && (
          <p className="banner banner-error" data-testid="discrepancy-warning">
            <strong>Discrepancy flagged:</strong>{' '}
            {discrepancyWarning
              ? localDates(discrepancyWarning.message)
              : `The withdrawn residual is ${discrepancy(preview.discrepancyUl)}, beyond the ${exactML(preview.thresholdUl)} threshold.`}{' '}
            Check the pump (interrogation, catheter, pocket) before saving; confirm below and note what was checked.
          </p>
        )}
      </>
    ) : (
      <p className="empty">{previewProblem ?? 'Calculating…'}</p>
    )}
  </section>
  );
}
