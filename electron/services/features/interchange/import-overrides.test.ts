/**
 * The import's optional `override_reason` column (issue 17, item 1): a refill visit or dose change
 * beyond a soft limit of the drug library WITH a reason is imported with the reason and the limits
 * crossed stored, and the safety report lists it as an override; without one it is imported as
 * before, with a warning at its line (nothing stored as a reason). A hard limit still refuses the row
 * at its line, reason or not. Seeded: baclofen soft maximum 1000 mcg/day, hard 2000 (Lioresal
 * Intrathecal label); morphine soft 20 mg/day, hard 30.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importRecord } from './import';
import { formatIssue } from './format';
import { fixtureFiles, NOW, replaceLine, rowCounts, workspace, type TestDb } from './test-support';
import { safety } from '../reports/safety';

let ws: ReturnType<typeof workspace>;
let db: TestDb;
beforeEach(() => {
  ws = workspace();
  db = ws.db();
});
afterEach(() => ws.cleanup());

/** `text` (a CSV file) with an `override_reason` column: `reasons[line]` on those lines, empty on the others. */
function withReasonColumn(text: string, reasons: Record<number, string> = {}): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((row, i) => (i === 0 ? `${row},override_reason` : `${row},${reasons[i + 1] ?? ''}`))
    .join('\n')
    .concat('\n');
}
const BACLOFEN_SOURCE = 'Baclofen: soft maximum 1000 mcg/day, above which the Lioresal Intrathecal label reports limited experience; hard maximum 2 × that';
const overrideRows = () =>
  safety({ db: db.store.db, store: db.store, nowMs: NOW }, { from: '2020-01-01', to: '2025-12-31' }).sections.find((s) => s.key === 'soft-limit-overrides')!.rows;

describe('override_reason in refills.csv and dose_changes.csv', () => {
  it('imports a refill above a soft limit with its reason and the limit crossed; the safety report lists it', () => {
    const files = fixtureFiles();
    // line 3: baclofen 1100 mcg/day, above the soft 1000, below the hard 2000; with a reason.
    files['refills.csv'] = withReasonColumn(replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,1100,mcg'), {
      3: 'Titration agreed in clinic letter of 2025-07-28',
    });
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    // The limit is still reported as a warning at its line (the import's report says what was crossed).
    expect(outcome.value.warnings.map(formatIssue)).toContain('refills.csv:3: daily_dose: Baclofen daily dose 1100 mcg/day is outside the typical range 90 mcg/day to 1000 mcg/day.');
    const stored = db.store.db.prepare(`SELECT override_reason, override_limits_json FROM refills WHERE date = '2025-08-01'`).get() as { override_reason: string; override_limits_json: string };
    expect(stored.override_reason).toBe('Titration agreed in clinic letter of 2025-07-28');
    expect(overrideRows().map((r) => [r[0], r[3], r[4], r[5], r[6], r[7], r[8]])).toEqual([
      ['2025-08-01', 'NGV100001', 'Refill', 'Baclofen 2000 mcg/mL, 1100 mcg/day', 'Baclofen daily dose soft maximum 1000 mcg/day', BACLOFEN_SOURCE, 'Titration agreed in clinic letter of 2025-07-28'],
    ]);
  });

  it('imports a dose change above a soft limit with its reason (hydromorphone 1 → 11 mg/day, above the soft 10)', () => {
    const files = fixtureFiles();
    files['dose_changes.csv'] = withReasonColumn(`${files['dose_changes.csv']!}PRO300003,2024-02-01,Hydromorphone,11,mg\n`, { 3: 'Palliative escalation' });
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(overrideRows().map((r) => [r[0], r[4], r[5], r[6], r[8]])).toEqual([
      ['2024-02-01', 'Dose change', 'Hydromorphone 11 mg/day', 'Hydromorphone daily dose soft maximum 10 mg/day', 'Palliative escalation'],
    ]);
  });

  it('without a reason (or without the column) a soft-limit row is imported as before: a warning, no reason stored, not listed as an override', () => {
    const files = fixtureFiles();
    files['refills.csv'] = withReasonColumn(replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,1100,mcg'));
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(outcome.value.warnings.map((w) => w.line)).toContain(3);
    expect(db.store.db.prepare(`SELECT count(*) AS n FROM refills WHERE override_reason IS NOT NULL OR override_limits_json IS NOT NULL`).get()).toEqual({ n: 0 });
    expect(overrideRows()).toEqual([]);
  });

  it('a reason on a row within the limits is not stored (nothing was overridden)', () => {
    const files = fixtureFiles();
    files['refills.csv'] = withReasonColumn(files['refills.csv']!, { 3: 'not needed' });
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(db.store.db.prepare(`SELECT count(*) AS n FROM refills WHERE override_reason IS NOT NULL`).get()).toEqual({ n: 0 });
  });

  it('a hard limit still refuses the row at its line and column, naming the limit and its source, even with a reason; nothing is imported', () => {
    const files = fixtureFiles();
    const counts = rowCounts(db);
    files['refills.csv'] = withReasonColumn(replaceLine(files['refills.csv']!, 3, 'NGV100001,2025-08-01,4.8,20,Baclofen,2000,mcg,2100,mcg'), { 3: 'sure' });
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.issues.map(formatIssue)).toContain(
      'refills.csv:3: daily_dose: Baclofen daily dose 2100 mcg/day is above the hard maximum of 2000 mcg/day (soft maximum 1000 mcg/day, above which the Lioresal Intrathecal label reports limited experience; hard maximum 2 × that).',
    );
    expect(rowCounts(db)).toEqual(counts);
  });

  it('the rows of one visit that give a reason must give the same one, else the row is refused at override_reason', () => {
    const files = fixtureFiles();
    // lines 4 and 5: one admixture visit (morphine + clonidine).
    files['refills.csv'] = withReasonColumn(files['refills.csv']!, { 4: 'reason one', 5: 'reason two' });
    const outcome = importRecord(db.ctx, ws.folder(files));
    if (outcome.ok) throw new Error('expected a refusal');
    expect(outcome.issues.map(formatIssue)).toContain('refills.csv:5: override_reason: differs from line 4 of the same visit ("reason one"); a visit has one override reason');
  });

  it('a restart is a step up from the dose before the reversal: ziconotide 2.4 → 7.2 mcg/day needs its fill\'s override_reason', () => {
    const base = fixtureFiles();
    const files = (reason: string): Record<string, string> => ({
      ...base,
      'patients.csv': `${base['patients.csv']!}RSV-005,Ziegler,Anna,1966-05-05,female,cancer_pain\n`,
      'pumps.csv': `${base['pumps.csv']!}RSV-005,Medtronic,SynchroMed II,NGV500005,2025-02-03,20,2,T10\n`,
      'refills.csv': withReasonColumn(`${base['refills.csv']!}NGV500005,2025-02-03,,20,Ziconotide,25,mcg,2.4,mcg\nNGV500005,2025-04-01,,20,Ziconotide,25,mcg,7.2,mcg\n`, { 11: reason }),
      'reversals.csv': `${base['reversals.csv']!}NGV500005,2025-03-01,turned_off,Trial off\n`,
      'restarts.csv': 'serial,date\nNGV500005,2025-04-01\n',
    });
    const refused = importRecord(db.ctx, ws.folder(files('')));
    if (refused.ok) throw new Error('expected a refusal');
    const issue = refused.issues.find((i) => i.file === 'refills.csv' && i.line === 11)!;
    expect(issue.column).toBe('override_reason');
    expect(issue.message).toContain('Raising Ziconotide from 2.4 mcg/day to 7.2 mcg/day (+4.8 mcg/day) is above the soft maximum step up of 2.4 mcg/day per change');
    expect(issue.message).toContain('A restart is checked against the dose in effect before the therapy reversal of 2025-03-01.');
    const outcome = importRecord(db.ctx, ws.folder(files('Restarted at the dose titrated in hospital')));
    if (!outcome.ok) throw new Error(outcome.issues.map(formatIssue).join('\n'));
    expect(overrideRows().map((r) => [r[0], r[3], r[4], r[6], r[8]])).toEqual([
      ['2025-04-01', 'NGV500005', 'Restart (first fill)', 'Ziconotide step up soft maximum 2.4 mcg/day per change', 'Restarted at the dose titrated in hospital'],
    ]);
  });
});
