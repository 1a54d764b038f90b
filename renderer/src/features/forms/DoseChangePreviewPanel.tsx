import type { DoseChangePreview } from '../../../../shared/contract/record';
import { URGENCY_LABELS } from '../../../../shared/domain/urgency-words';
import { date, localDates, mass, mLPerDay } from '../../format';
import { ruleText } from './RefillPreviewPanel';

/** "3 days sooner", "2 days later", "unchanged"; '' when a side has no date. */
export function shiftWords(days: number | null): string {
  if (days === null) return '';
  if (days === 0) return 'unchanged';
  const n = Math.abs(days);
  return `${n} day${n === 1 ? '' : 's'} ${days < 0 ? 'sooner' : 'later'}`;
}

/**
 * What a dose change would do (`doseChanges.preview`), shown as the fields are typed and before
 * anything is saved: every drug's dose now and after (an admixture's drugs share one flow rate, so
 * they all change), the daily volume, the alarm, empty and next due dates with their shift, and
 * the urgency as of today.
 */
export function DoseChangePreviewPanel({ preview, problem, typedDrug }: { preview: DoseChangePreview | null; problem: string | null; typedDrug: string }) {
  const followers = preview?.drugs.filter((d) => !d.typed).map((d) => d.drug) ?? [];
  const rows: { label: string; before: string; after: string; shift: string; testId: string }[] = preview
    ? [
        { label: 'Daily volume', before: mLPerDay(preview.before.dailyVolumeUl), after: mLPerDay(preview.after.dailyVolumeUl), shift: '', testId: 'dose-preview-volume' },
        { label: 'Alarm date', before: date(preview.before.alarmDate), after: date(preview.after.alarmDate), shift: shiftWords(preview.alarmShiftDays), testId: 'dose-preview-alarm' },
        { label: 'Empty date', before: date(preview.before.emptyDate), after: date(preview.after.emptyDate), shift: shiftWords(preview.emptyShiftDays), testId: 'dose-preview-empty' },
        {
          label: 'Next refill due',
          before: date(preview.before.nextDueDate),
          after: `${date(preview.after.nextDueDate)}${preview.after.nextDueRule ? ` (${ruleText(preview.after.nextDueRule)})` : ''}`,
          shift: shiftWords(preview.nextDueShiftDays),
          testId: 'dose-preview-due',
        },
        {
          label: 'Urgency today',
          before: preview.before.urgency ? URGENCY_LABELS[preview.before.urgency] : '—',
          after: preview.after.urgency ? URGENCY_LABELS[preview.after.urgency] : '—',
          shift: '',
          testId: 'dose-preview-urgency',
        },
      ]
    : [];
  return (
    <section className="refill-preview" aria-label="Dose change preview" aria-live="polite">
      <h4>Before saving</h4>
      {preview ? (
        <>
          {followers.length > 0 && (
            <p className="banner banner-warn" data-testid="dose-preview-admixture">
              The drugs in this reservoir flow at one rate: changing {typedDrug} changes {followers.join(' and ')} too.
            </p>
          )}
          <table className="list dose-preview" data-testid="dose-preview-drugs">
            <caption>Daily dose of each drug</caption>
            <thead>
              <tr>
                <th scope="col">Drug</th>
                <th scope="col">Now</th>
                <th scope="col">After</th>
              </tr>
            </thead>
            <tbody>
              {preview.drugs.map((d) => (
                <tr key={d.drug}>
                  <th scope="row">
                    {d.drug}
                    {!d.typed && ' (follows the flow rate)'}
                  </th>
                  <td>{mass(d.beforeNgPerDay, d.unit, '/day')}</td>
                  <td>{mass(d.afterNgPerDay, d.unit, '/day')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="list dose-preview">
            <caption>The pump</caption>
            <thead>
              <tr>
                <th scope="col" />
                <th scope="col">Now</th>
                <th scope="col">After</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.label} data-testid={r.testId}>
                  <th scope="row">{r.label}</th>
                  <td>{r.before}</td>
                  <td>{r.after}</td>
                  <td>{r.shift}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {preview.warnings.length > 0 && (
            <ul className="banner banner-warn preview-warnings" aria-label="Warnings">
              {preview.warnings.map((w, i) => (
                <li key={i}>{localDates(w.message)}</li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="empty">{problem ?? 'Calculating…'}</p>
      )}
    </section>
  );
}
