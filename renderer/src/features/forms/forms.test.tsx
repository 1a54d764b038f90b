import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { PumpHistory } from '../../../../shared/contract/record';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { RefillForm } from './RefillForm';
import { ImplantForm } from './ImplantForm';
import { ReversalForm, RemovalForm } from './ReversalRemovalForms';
import { DoseChangeForm, outOfRangeQuestion, softLimitNotice } from './DoseChangeForm';
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
