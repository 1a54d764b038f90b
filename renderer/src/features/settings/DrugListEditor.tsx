import type { Versioned } from '../../../../shared/contract/versions';
import type { FormEvent, ReactNode } from 'react';
import { MASS_UNITS, type MassUnitName } from '../../../../shared/contract/quantities';
import { drugSaveInput, type Drug } from '../../../../shared/contract/record';
import { call } from '../../api/client';
import { formatNumber, mass } from '../../format';
import { Field, num, numOrNull } from './fields';
import { DraftForm, DraftInput, ListSection, ListTable, useListEditor } from './ListEditor';

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };
const inUnit = (ng: number | null | undefined, unit: MassUnitName) => (ng === null || ng === undefined ? '' : String(Number((ng / NG_PER[unit]).toFixed(3))));
const range = (r: { min: number; max: number } | null, unit: MassUnitName, per: string) => (r ? `${mass(r.min, unit)}–${mass(r.max, unit, per)}` : '—');

type Draft = Record<
  | 'name'
  | 'unit'
  | 'tcMin'
  | 'tcMax'
  | 'maxConc'
  | 'tdMin'
  | 'tdMax'
  | 'maxDose'
  | 'stabilityDays'
  | 'firstFillStabilityDays'
  | 'undilutedConc'
  | 'undilutedStabilityDays'
  | 'stabilitySource'
  | 'withdrawalWarning'
  | 'stepSoftPct'
  | 'stepHardPct'
  | 'stepSoft'
  | 'weekStepSoft'
  | 'limitsSource',
  string
> & { id?: number };

const blank: Draft = {
  name: '',
  unit: '',
  tcMin: '',
  tcMax: '',
  maxConc: '',
  tdMin: '',
  tdMax: '',
  maxDose: '',
  stabilityDays: '',
  firstFillStabilityDays: '',
  undilutedConc: '',
  undilutedStabilityDays: '',
  stabilitySource: '',
  withdrawalWarning: '',
  stepSoftPct: '',
  stepHardPct: '',
  stepSoft: '',
  weekStepSoft: '',
  limitsSource: '',
};
const days = (n: number | null) => (n === null ? '' : String(n));

function draftOf(d: Drug): Draft {
  return {
    id: d.id,
    name: d.name,
    unit: d.unit,
    tcMin: inUnit(d.typicalConcNgPerMl?.min, d.unit),
    tcMax: inUnit(d.typicalConcNgPerMl?.max, d.unit),
    maxConc: inUnit(d.maxConcNgPerMl, d.unit),
    tdMin: inUnit(d.typicalDoseNgPerDay?.min, d.unit),
    tdMax: inUnit(d.typicalDoseNgPerDay?.max, d.unit),
    maxDose: inUnit(d.maxDoseNgPerDay, d.unit),
    stabilityDays: days(d.stabilityDays),
    firstFillStabilityDays: days(d.firstFillStabilityDays),
    undilutedConc: inUnit(d.undilutedConcNgPerMl, d.unit),
    undilutedStabilityDays: days(d.undilutedStabilityDays),
    stabilitySource: d.stabilitySource ?? '',
    withdrawalWarning: d.withdrawalWarning ?? '',
    stepSoftPct: days(d.maxStepUpSoftPct),
    stepHardPct: days(d.maxStepUpHardPct),
    stepSoft: inUnit(d.maxStepUpSoftNgPerDay, d.unit),
    weekStepSoft: inUnit(d.maxWeekStepUpSoftNgPerDay, d.unit),
    limitsSource: d.limitsSource ?? '',
  };
}

/** A drug's step-up limits in words: "soft 2.4 mcg/day per change; soft 7.2 mcg/day per 7 days". */
export function stepUpWords(d: Drug): string {
  const parts: string[] = [];
  if (d.maxStepUpSoftPct !== null) parts.push(`soft ${formatNumber(d.maxStepUpSoftPct)} % per change`);
  if (d.maxStepUpHardPct !== null) parts.push(`hard ${formatNumber(d.maxStepUpHardPct)} % per change`);
  if (d.maxStepUpSoftNgPerDay !== null) parts.push(`soft ${mass(d.maxStepUpSoftNgPerDay, d.unit, '/day')} per change`);
  if (d.maxWeekStepUpSoftNgPerDay !== null) parts.push(`soft ${mass(d.maxWeekStepUpSoftNgPerDay, d.unit, '/day')} per 7 days`);
  return parts.length === 0 ? '—' : parts.join('; ');
}

/**
 * The stability figures in words, as the next-refill rule uses them: "40 days diluted; 84 days
 * undiluted (100 mcg/mL, the drug alone); 14 days after a new pump's first fill".
 */
export function stabilityWords(d: Drug): string {
  const parts: string[] = [];
  if (d.stabilityDays !== null) parts.push(`${formatNumber(d.stabilityDays)} days${d.undilutedStabilityDays !== null ? ' diluted' : ''}`);
  if (d.undilutedStabilityDays !== null && d.undilutedConcNgPerMl !== null)
    parts.push(`${formatNumber(d.undilutedStabilityDays)} days undiluted (${mass(d.undilutedConcNgPerMl, d.unit, '/mL')}, the drug alone)`);
  if (d.firstFillStabilityDays !== null) parts.push(`${formatNumber(d.firstFillStabilityDays)} days after a new pump’s first fill`);
  return parts.length === 0 ? '—' : parts.join('; ');
}

const listDrugs = () => call('drugs.list', {});

/**
 * Whether no source confirms the drug's limits: it has a limit but names no source, or its source
 * says the figures are UNCONFIRMED (the seeded PACC 2017 ones). Shown as an "Unconfirmed" mark.
 */
export function limitsUnconfirmed(d: Drug): boolean {
  const source = d.limitsSource?.trim() ?? '';
  const hasLimit =
    d.typicalConcNgPerMl !== null ||
    d.maxConcNgPerMl !== null ||
    d.typicalDoseNgPerDay !== null ||
    d.maxDoseNgPerDay !== null ||
    d.maxStepUpSoftPct !== null ||
    d.maxStepUpHardPct !== null ||
    d.maxStepUpSoftNgPerDay !== null ||
    d.maxWeekStepUpSoftNgPerDay !== null;
  return hasLimit && (source === '' || /unconfirmed/i.test(source));
}

/** The source of a drug's limits, marked "Unconfirmed" when no source confirms them. */
function LimitsSource({ drug }: { drug: Drug }) {
  const source = drug.limitsSource?.trim() ?? '';
  if (!limitsUnconfirmed(drug)) return <>{source === '' ? '—' : source}</>;
  return (
    <>
      <span className="badge badge-unconfirmed" title="No source confirms these limits: check them against the drug label or your protocol">
        Unconfirmed
      </span>{' '}
      {source === '' ? 'No source given' : source}
    </>
  );
}

/** A hard maximum, or "None" (nothing is refused) when the drug has none. */
const hardMax = (ng: number | null, unit: Drug['unit'], per: string): string => (ng === null ? 'None' : mass(ng, unit, per));

/** The step-up limits split by kind: soft (an override reason is needed) or hard (refused). */
function stepUps(d: Drug, kind: 'soft' | 'hard'): string {
  const words = stepUpWords(d);
  if (words === '—') return kind === 'hard' ? 'None' : '—';
  const parts = words.split('; ').filter((w) => w.startsWith(`${kind} `)).map((w) => w.slice(kind.length + 1));
  return parts.length === 0 ? (kind === 'hard' ? 'None' : '—') : parts.join('; ');
}

/**
 * The drug library's limits say plainly which are Soft (above them an override reason is needed)
 * and which are Hard (refused), and where they come from; a limit no source confirms is marked
 * "Unconfirmed" (issue 17, item 1).
 */
const DRUG_COLUMNS: readonly [string, (d: Drug) => ReactNode][] = [
  ['Drug', (d) => d.name],
  ['Unit', (d) => d.unit],
  ['Daily dose soft range', (d) => <span className="amount">{range(d.typicalDoseNgPerDay, d.unit, '/day')}</span>],
  ['Daily dose hard max', (d) => <span className="amount">{hardMax(d.maxDoseNgPerDay, d.unit, '/day')}</span>],
  ['Concentration soft range', (d) => <span className="amount">{range(d.typicalConcNgPerMl, d.unit, '/mL')}</span>],
  ['Concentration hard max', (d) => <span className="amount">{hardMax(d.maxConcNgPerMl, d.unit, '/mL')}</span>],
  ['Step up soft max', (d) => <span className="amount">{stepUps(d, 'soft')}</span>],
  ['Step up hard max', (d) => <span className="amount">{stepUps(d, 'hard')}</span>],
  ['Source of the limits', (d) => <span className="text-cell wide"><LimitsSource drug={d} /></span>],
  ['Stability in the pump', (d) => <span className="text-cell">{stabilityWords(d)}</span>],
  ['Source', (d) => <span className="text-cell">{d.stabilitySource ?? (d.stabilityDays === null && d.firstFillStabilityDays === null ? '—' : 'Not given')}</span>],
  ['Withdrawal warning', (d) => <span className="text-cell wide">{d.withdrawalWarning ?? '—'}</span>],
];

/** The clinic's drug list: amounts are entered in the drug's own unit, which cannot change once saved. */
export function DrugListEditor() {
  const { items: drugs, draft, basedOn, errors, formError, notice, open, close, save, setField } = useListEditor<Versioned<Drug>, Draft>(listDrugs);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    const unit = draft.unit;
    const amt = (s: string) => ({ value: num(s), unit });
    const optAmt = (s: string) => (s.trim() === '' ? null : amt(s));
    const pair = (a: string, b: string) => (a.trim() === '' && b.trim() === '' ? null : { min: amt(a), max: amt(b) });
    const parsed = drugSaveInput.safeParse({
      ...(draft.id === undefined ? {} : { id: draft.id, basedOn }),
      name: draft.name,
      unit,
      typicalConcentration: pair(draft.tcMin, draft.tcMax),
      maxConcentration: optAmt(draft.maxConc),
      typicalDailyDose: pair(draft.tdMin, draft.tdMax),
      maxDailyDose: optAmt(draft.maxDose),
      stabilityDays: numOrNull(draft.stabilityDays),
      firstFillStabilityDays: numOrNull(draft.firstFillStabilityDays),
      undilutedConcentration: optAmt(draft.undilutedConc),
      undilutedStabilityDays: numOrNull(draft.undilutedStabilityDays),
      stabilitySource: draft.stabilitySource,
      withdrawalWarning: draft.withdrawalWarning.trim() === '' ? null : draft.withdrawalWarning,
      maxStepUpSoftPct: numOrNull(draft.stepSoftPct),
      maxStepUpHardPct: numOrNull(draft.stepHardPct),
      maxStepUpSoft: optAmt(draft.stepSoft),
      maxWeekStepUpSoft: optAmt(draft.weekStepSoft),
      limitsSource: draft.limitsSource.trim() === '' ? null : draft.limitsSource,
    });
    void save(parsed, (input) => call('drugs.save', input), (d) => `Saved ${d.name}.`);
  }

  const field = (key: keyof Omit<Draft, 'id'>, label: string, errorKey: string = key) => (
    <DraftInput id={`drug-${key}`} label={label} error={errors[errorKey]} type={key === 'name' || key === 'stabilitySource' || key === 'limitsSource' ? 'text' : 'number'} value={draft?.[key] ?? ''} onChange={(v) => setField(key, v)} />
  );
  const u = draft?.unit || 'mg or mcg';

  return (
    <ListSection id="drugs" title="Drug list" addLabel="Add drug" editing={draft !== null} onAdd={() => open(blank)} notice={notice}>
      {drugs && <ListTable caption="Drugs" columns={DRUG_COLUMNS} items={drugs} editLabel={(d) => `Edit ${d.name}`} onEdit={(d) => open(draftOf(d), d.version)} editing={draft !== null} />}
      {draft && (
        <DraftForm id="drug-form" title={draft.id === undefined ? 'New drug' : `Edit ${draft.name}`} error={formError} submitLabel="Save drug" onSubmit={submit} onCancel={close}>
          <div className="grid">
            {field('name', 'Name')}
            <Field id="drug-unit" label="Unit" error={errors.unit}>
              {(a11y) => (
                <select {...a11y} value={draft.unit} disabled={draft.id !== undefined} onChange={(e) => setField('unit', e.target.value)}>
                  <option value="">Choose…</option>
                  {MASS_UNITS.map((m) => (
                    <option key={m} value={m}>
                      {m}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {field('tdMin', `Daily dose soft range from (${u}/day)`, 'typicalDailyDose')}
            {field('tdMax', `Daily dose soft range to (${u}/day)`, 'typicalDailyDose')}
            {field('maxDose', `Daily dose hard maximum (${u}/day)`, 'maxDailyDose')}
            {field('tcMin', `Concentration soft range from (${u}/mL)`, 'typicalConcentration')}
            {field('tcMax', `Concentration soft range to (${u}/mL)`, 'typicalConcentration')}
            {field('maxConc', `Concentration hard maximum (${u}/mL)`, 'maxConcentration')}
            {field('stepSoftPct', 'Soft maximum step up (% per change)', 'maxStepUpSoftPct')}
            {field('stepHardPct', 'Hard maximum step up (% per change)', 'maxStepUpHardPct')}
            {field('stepSoft', `Soft maximum step up (${u}/day per change)`, 'maxStepUpSoft')}
            {field('weekStepSoft', `Soft maximum step up (${u}/day per 7 days)`, 'maxWeekStepUpSoft')}
            {field('limitsSource', 'Source of the limits (label, PACC 2017; write UNCONFIRMED for figures no source confirms)')}
            {field('stabilityDays', 'Stability (days)')}
            {field('firstFillStabilityDays', 'Stability after a new pump’s first fill (days)')}
            {field('undilutedConc', `Undiluted concentration (${u}/mL; blank if none)`, 'undilutedConcentration')}
            {field('undilutedStabilityDays', 'Stability undiluted (days)')}
            {field('stabilitySource', 'Source of the stability figures (label, guidance)')}
          </div>
          <p className="hint">
            <strong>Soft</strong> limits: a value above them needs the clinician’s override reason (stored, audited, listed in the safety report). <strong>Hard</strong> limits: a
            value above them is refused, naming the limit and its source. Exactly at a limit is allowed; an empty field is no limit. Limits whose source is empty or says
            UNCONFIRMED are marked <em>Unconfirmed</em> in the list.
          </p>
          <p className="hint">
            A refill of this drug alone at exactly its undiluted concentration is due by the undiluted limit; at any other concentration, or in an admixture, by the
            stability limit; a new pump’s first fill by the shorter first-fill limit.
          </p>
          <Field id="drug-withdrawalWarning" label="Withdrawal warning, with its source (shown beside an empty or alarming pump)" error={errors.withdrawalWarning}>
            {(a11y) => <textarea {...a11y} rows={3} value={draft.withdrawalWarning} onChange={(e) => setField('withdrawalWarning', e.target.value)} />}
          </Field>
          {draft.id !== undefined && <p className="hint">The unit of a saved drug cannot change: past prescriptions are recorded in it.</p>}
        </DraftForm>
      )}
    </ListSection>
  );
}
