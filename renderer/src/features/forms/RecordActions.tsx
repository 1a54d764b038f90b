import { useEffect, useRef, useState } from 'react';
import type { DeviceModel, Drug, PatientRecord } from '../../../../shared/contract/record';
import { assertNever } from '../../../../shared/contract/result';
import { call } from '../../api/client';
import { clinicSettings } from '../../api/clinic-settings';
import { clinicToday } from '../../format';
import { RefillForm } from './RefillForm';
import { DoseChangeForm } from './DoseChangeForm';
import { AdverseEventForm, MriEventForm, OpenAdverseEvents } from './EventForms';
import { PendingMriChecks } from './MriChecks';
import { RemovalForm, ReversalForm } from './ReversalRemovalForms';
import { ImplantForm } from './ImplantForm';
import { useCan } from '../accounts/session';
import { CloseRequest } from './fields';

type FormName = 'refill' | 'dose' | 'adverse' | 'mri' | 'reversal' | 'restart' | 'removal' | 'implant';

const LABELS: Record<FormName, string> = {
  refill: 'Record refill',
  dose: 'Dose change',
  adverse: 'Adverse event',
  mri: 'MRI',
  reversal: 'Therapy reversal',
  restart: 'Restart therapy',
  removal: 'Removal',
  implant: 'Implant pump',
};

/** What every form needs from the catalog and settings, loaded once per record screen. */
export interface FormContext {
  today: string;
  drugs: Drug[];
  devices: DeviceModel[];
}

/** The clinical forms reachable from a patient's record (refill, dose change, events, reversal, removal, implant). */
/** A form asked for from elsewhere on the record (the stopped pump card's Restart therapy); `seq` makes each request new. */
export interface FormRequest {
  form: 'restart';
  seq: number;
}

export function RecordActions({ record, onSaved, requested = null }: { record: PatientRecord; onSaved: () => void; requested?: FormRequest | null }) {
  const [open, setOpen] = useState<FormName | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [ctx, setCtx] = useState<FormContext>({ today: clinicToday(null), drugs: [], devices: [] });
  const buttons = useRef<Partial<Record<FormName, HTMLButtonElement | null>>>({});
  const restoreTo = useRef<FormName | null>(null);
  // The open form's close request: another toolbar button closes it as its Cancel would (asking first when it has changes).
  const closeRequest = useRef<((then: () => void) => void) | null>(null);
  // Clinical entries are for clinicians (main refuses them to other roles; this only hides the buttons).
  const canRecord = useCan('refills.record');

  useEffect(() => {
    void Promise.all([clinicSettings(), call('drugs.list', {}), call('devices.list', {})]).then(([s, d, v]) =>
      setCtx({ today: clinicToday(s.ok ? s.value.timeZone : null), drugs: d.ok ? d.value : [], devices: v.ok ? v.value : [] }),
    );
  }, []);

  // Focus returns to the button that opened the form once it has closed.
  useEffect(() => {
    if (open === null && restoreTo.current) {
      buttons.current[restoreTo.current]?.focus();
      restoreTo.current = null;
    }
  }, [open]);

  const inPlace = record.pumps.find((p) => p.pump.status !== 'explanted') ?? null;
  const active = inPlace?.pump.status === 'active' ? inPlace : null;
  const stopped = inPlace?.pump.status === 'off' ? inPlace : null;
  // A deceased or transferred patient: only a removal can be recorded (main refuses the rest).
  const left = record.patient.status === 'deceased' || record.patient.status === 'transferred';
  const available: FormName[] = left
    ? inPlace
      ? ['removal']
      : []
    : [
        ...(active ? (['refill', 'dose'] as const) : []),
        'adverse',
        'mri',
        ...(active ? (['reversal'] as const) : []),
        ...(stopped ? (['restart'] as const) : []),
        ...(inPlace ? (['removal'] as const) : []),
        ...(inPlace ? [] : (['implant'] as const)),
      ];

  // Another part of the record asks for a form: open it as its toolbar button would.
  useEffect(() => {
    if (requested === null || !available.includes(requested.form)) return;
    const show = () => {
      setStatus(null);
      setOpen(requested.form);
    };
    if (open && open !== requested.form && closeRequest.current) closeRequest.current(show);
    else show();
    // Only a new request opens the form.
  }, [requested?.seq]);

  const close = () => {
    restoreTo.current = open;
    setOpen(null);
  };
  const saved = (message: string) => {
    restoreTo.current = open;
    setOpen(null);
    setStatus(message);
    onSaved();
  };

  function form(name: FormName) {
    const common = { ctx, onCancel: close, onSaved: saved };
    switch (name) {
      case 'refill':
        return active && <RefillForm history={active} {...common} />;
      case 'dose':
        return active && <DoseChangeForm history={active} {...common} />;
      case 'adverse':
        return <AdverseEventForm record={record} pumpId={inPlace?.pump.id} {...common} />;
      case 'mri':
        return <MriEventForm record={record} history={inPlace} {...common} />;
      case 'reversal':
        return active && <ReversalForm history={active} {...common} />;
      case 'restart':
        return stopped && <RefillForm history={stopped} restart {...common} />;
      case 'removal':
        return inPlace && <RemovalForm history={inPlace} {...common} />;
      case 'implant':
        return <ImplantForm patientId={record.patient.id} {...common} />;
    }
    return assertNever(name, 'form');
  }

  if (!canRecord) return null;
  return (
    <section className="record-actions" aria-label="Record actions">
      <div className="record-toolbar" role="toolbar" aria-label="Record an entry">
        {available.map((name) => (
          <button
            key={name}
            type="button"
            className={open === name ? '' : 'secondary'}
            aria-expanded={open === name}
            data-command={name === 'refill' ? 'refill.record' : undefined}
            ref={(el) => {
              buttons.current[name] = el;
            }}
            onClick={() => {
              const toggle = () => {
                setStatus(null);
                setOpen((cur) => (cur === name ? null : name));
                if (open === name) restoreTo.current = name;
              };
              if (open && closeRequest.current) closeRequest.current(toggle);
              else toggle();
            }}
          >
            {LABELS[name]}
          </button>
        ))}
      </div>
      {status && (
        <p role="status" className="banner banner-ok">
          {status}
        </p>
      )}
      <CloseRequest.Provider value={closeRequest}>{open && <div key={open}>{form(open)}</div>}</CloseRequest.Provider>
      <OpenAdverseEvents record={record} onSaved={saved} />
      <PendingMriChecks record={record} today={ctx.today} onSaved={saved} />
    </section>
  );
}
