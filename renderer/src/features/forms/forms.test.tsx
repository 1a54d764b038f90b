import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PumpHistory } from '../../../../shared/contract/record';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RefillForm, currentPrescription } from './RefillForm';
import { ImplantForm } from './ImplantForm';
import { ReversalForm, RemovalForm } from './ReversalRemovalForms';
import { DoseChangeForm, outOfRangeQuestion, softLimitNotice } from './DoseChangeForm';
import { DoseChangePreviewPanel } from './DoseChangePreviewPanel';
import { AdverseEventForm, MriEventForm } from './EventForms';
import type { FormContext } from './RecordActions';
import { SessionContext } from '../accounts/session';
import type { SessionUser } from '../../../../shared/contract/accounts';

const ctx: FormContext = { today: '2026-03-02', drugs: [], devices: [] };
const history = { pump: { id: 1, serial: 'P1', reservoirUl: 20_000, status: 'active', manufacturer: 'M', model: 'X', deviceModelId: 1 }, refills: [], doseChanges: [] } as unknown as PumpHistory;
const record = { patient: { id: 1 }, pumps: [], events: [] } as never;
const none = () => undefined;
const dateInputs = (html: string) => [...html.matchAll(/<input type="date"[^>]*>/g)].map((m) => m[0]);

describe('clinical forms do not offer a date after the clinic’s today', () => {
  const forms = {
    refill: <RefillForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    'dose change': <DoseChangeForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    'adverse event': <AdverseEventForm record={record} pumpId={1} ctx={ctx} onCancel={none} onSaved={none} />,
    MRI: <MriEventForm record={record} history={null} ctx={ctx} onCancel={none} onSaved={none} />,
    reversal: <ReversalForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    removal: <RemovalForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    implant: <ImplantForm patientId={1} ctx={ctx} onCancel={none} onSaved={none} />,
  };
  for (const [name, form] of Object.entries(forms)) {
    it(name, () => {
      const first = dateInputs(renderToStaticMarkup(form))[0];
      expect(first).toBeDefined();
      expect(first).toContain('max="2026-03-02"');
    });
  }
});

describe('the shared confirmation dialog', () => {
  it('is an alertdialog labelled by its question, with the safe choice as a button', () => {
    const html = renderToStaticMarkup(<ConfirmDialog question="Discard this refill? What you typed will be lost." confirmLabel="Discard" cancelLabel="Keep editing" onConfirm={none} onCancel={none} />);
    expect(html).toMatch(/role="alertdialog"/);
    const labelledBy = /aria-labelledby="([^"]+)"/.exec(html)![1];
    expect(html).toContain(`id="${labelledBy}">Discard this refill? What you typed will be lost.</p>`);
    expect(html).toContain('>Keep editing</button>');
    expect(html).toContain('>Discard</button>');
  });
});

describe('a dose change outside the drug\'s typical daily dose is asked about before it is sent', () => {
  const morphine = { id: 1, name: 'Morphine', unit: 'mg', typicalConcNgPerMl: null, maxConcNgPerMl: null, typicalDoseNgPerDay: { min: 200_000, max: 20_000_000 }, maxDoseNgPerDay: null, stabilityDays: 90, firstFillStabilityDays: null, undilutedConcNgPerMl: null, undilutedStabilityDays: null, stabilitySource: null, withdrawalWarning: null, maxStepUpSoftPct: null, maxStepUpHardPct: null, maxStepUpSoftNgPerDay: null, maxWeekStepUpSoftNgPerDay: null, limitsSource: null } as const;
  it('asks for 150 mg/day (the typical range is 0.2 to 20 mg/day), saying the current dose', () => {
    expect(outOfRangeQuestion(morphine, 150, 'mg', '4')).toBe('Morphine 150 mg/day is outside the typical range 0.2 mg to 20 mg/day (now 4 mg/day). Record it anyway?');
    expect(outOfRangeQuestion(morphine, 0.1, 'mg', undefined)).toMatch(/^Morphine 0\.1 mg\/day is outside the typical range/);
  });
  it('asks for an override reason above the soft daily dose limit only (its end included in the range)', () => {
    // morphine soft range 0.2 .. 20 mg/day: 20 is inside, 20.5 above, 0.1 below (a warning, not an override)
    expect(softLimitNotice(morphine, 20, 'mg')).toBeNull();
    expect(softLimitNotice(morphine, 20.5, 'mg')).toBe('Morphine 20.5 mg/day is above the soft limit of 20 mg/day: give an override reason to record it.');
    expect(softLimitNotice(morphine, 0.1, 'mg')).toBeNull();
    // 25,000 mcg/day typed for the mg drug is 25 mg/day: compared in ng, it does not slip under the limit (main then refuses the unit)
    expect(softLimitNotice(morphine, 25_000, 'mcg')).toMatch(/^Morphine 25,000 mcg\/day is above the soft limit/);
    expect(softLimitNotice(morphine, 15_000, 'mcg')).toBeNull(); // 15 mg/day
  });

  it('does not ask within the range (its ends included), without a range, or for what main will refuse anyway', () => {
    expect(outOfRangeQuestion(morphine, 20, 'mg', '4')).toBeNull();
    expect(outOfRangeQuestion(morphine, 0.2, 'mg', '4')).toBeNull();
    expect(outOfRangeQuestion({ ...morphine, typicalDoseNgPerDay: null }, 150, 'mg', '4')).toBeNull();
    expect(outOfRangeQuestion(undefined, 150, 'mg', '4')).toBeNull();
    expect(outOfRangeQuestion(morphine, undefined, 'mg', '4')).toBeNull();
    expect(outOfRangeQuestion(morphine, 1.23456, 'mg', '4')).toBeNull(); // 4 decimals: main words it
  });
});

describe('the Clinician field starts with the signed-in clinician (still editable), and is empty for other roles', () => {
  /** The value of the input labelled Clinician (undefined: no such field). */
  const clinicianValue = (html: string) => /<label>Clinician<input[^>]*>/.exec(html)?.[0].match(/value="([^"]*)"/)?.[1];
  const as = (user: SessionUser | null, form: React.ReactElement) =>
    renderToStaticMarkup(<SessionContext.Provider value={{ user, setState: none }}>{form}</SessionContext.Provider>);
  const nora = { id: 7, username: 'nquinn', displayName: 'Nora Quinn', role: 'clinician' } as SessionUser;
  const forms = {
    refill: <RefillForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    'dose change': <DoseChangeForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    'adverse event': <AdverseEventForm record={record} pumpId={1} ctx={ctx} onCancel={none} onSaved={none} />,
    MRI: <MriEventForm record={record} history={null} ctx={ctx} onCancel={none} onSaved={none} />,
    reversal: <ReversalForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
    removal: <RemovalForm history={history} ctx={ctx} onCancel={none} onSaved={none} />,
  };
  for (const [name, form] of Object.entries(forms)) {
    it(name, () => {
      expect(clinicianValue(as(nora, form))).toBe('Nora Quinn');
      expect(clinicianValue(as({ ...nora, role: 'administrator' }, form))).toBe('');
      expect(clinicianValue(as(null, form))).toBe('');
      expect(as(nora, form)).not.toMatch(/<label>Clinician<input[^>]*(readonly|disabled)/i);
    });
  }
});

describe('after an admixture dose change (issue 17, item 2)', () => {
  const admixture = (doseChanges: { id: number; date: string; drug: string; dailyDoseNgPerDay: number }[], bupiConcMg = 10) =>
    ({
      ...history,
      refills: [
        {
          date: '2026-01-01',
          mode: 'simple_continuous',
          extraVolumeUlPerDay: 0,
          drugs: [
            { drugId: 1, drug: 'Morphine', unit: 'mg', concentrationNgPerMl: 10_000_000, dailyDoseNgPerDay: 8_000_000, lot: null, expiryDate: null },
            { drugId: 2, drug: 'Bupivacaine', unit: 'mg', concentrationNgPerMl: bupiConcMg * 1_000_000, dailyDoseNgPerDay: bupiConcMg * 800_000, lot: null, expiryDate: null },
          ],
        },
      ],
      doseChanges,
    }) as unknown as PumpHistory;

  it('the refill form is pre-filled with every drug at the one current rate, not the changed drug alone', () => {
    // Morphine 8 → 10 mg/day at 10 mg/mL: 1.0 mL/day; bupivacaine 1.0 × 10 mg/mL = 10 mg/day (not 8).
    const rows = currentPrescription(admixture([{ id: 1, date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 10_000_000 }]));
    expect(rows.map((r) => [r.drug, r.conc, r.dose])).toEqual([
      ['Morphine', '10', '10'],
      ['Bupivacaine', '10', '10'],
    ]);
  });

  it('a dose that does not come out whole is pre-filled to 3 decimals of its unit (the most a dose field takes)', () => {
    // Bupivacaine 7 mg/mL. Morphine to 10.5 mg/day: 1.05 mL/day; bupivacaine 1.05 × 7 = 7.35 mg/day.
    // Morphine to 3.333 mg/day: 0.3333 mL/day; bupivacaine 0.3333 × 7 = 2.3331 mg → 2.333 mg/day.
    expect(currentPrescription(admixture([{ id: 1, date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 10_500_000 }], 7))[1]!.dose).toBe('7.35');
    expect(currentPrescription(admixture([{ id: 1, date: '2026-01-06', drug: 'Morphine', dailyDoseNgPerDay: 3_333_000 }], 7))[1]!.dose).toBe('2.333');
  });

  it('the preview names every drug before and after, and the alarm shift', () => {
    const html = renderToStaticMarkup(
      <DoseChangePreviewPanel
        typedDrug="Morphine"
        problem={null}
        preview={{
          drugs: [
            { drug: 'Morphine', unit: 'mg', beforeNgPerDay: 8_000_000, afterNgPerDay: 10_000_000, typed: true },
            { drug: 'Bupivacaine', unit: 'mg', beforeNgPerDay: 8_000_000, afterNgPerDay: 10_000_000, typed: false },
          ],
          summary: 'Morphine 8 → 10 mg/day; Bupivacaine 8 → 10 mg/day (same flow rate)',
          before: { dailyVolumeUl: 800, alarmDate: '2026-01-23', emptyDate: '2026-01-26', nextDueDate: '2026-01-16', nextDueRule: 'alarm', urgency: 'due' },
          after: { dailyVolumeUl: 1000, alarmDate: '2026-01-20', emptyDate: '2026-01-22', nextDueDate: '2026-01-13', nextDueRule: 'alarm', urgency: 'due' },
          alarmShiftDays: -3,
          emptyShiftDays: -4,
          nextDueShiftDays: -3,
          warnings: [],
        }}
      />,
    );
    expect(html).toContain('changing Morphine changes Bupivacaine too');
    expect(html).toContain('Bupivacaine (follows the flow rate)</th><td>8 mg/day</td><td>10 mg/day</td>');
    expect(html).toContain('0.800 mL/day</td><td>1.000 mL/day');
    expect(html).toContain('3 days sooner');
    expect(html).toContain('4 days sooner');
  });
});
