import { createContext, useContext, useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { AppError } from '../../../../shared/contract/result';
import type { MassUnitName } from '../../../../shared/contract/quantities';
import './forms.css';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { localDates } from '../../format';
import type { FieldMap } from './messages';

/** Field messages keyed by the field's dotted path (`drugs.0.dailyDose`), as main names them. */
export type Errors = Record<string, string>;

const sentence = (m: string) => m.charAt(0).toUpperCase() + m.slice(1) + (/[.!?]$/.test(m) ? '' : '.');

/**
 * The first message for each field path, from a zod error (the same schema main validates with).
 * `choices` words a choice field's message in the form's own labels (the shared schema lists the
 * stored codes: "must be one of turned_off, drained, weaned"); a list field's items count as the list.
 */
export function issuesToErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], choices: Readonly<Record<string, string>> = {}): Errors {
  const out: Errors = {};
  for (const issue of issues) {
    let key = issue.path.map(String).join('.');
    const choice = Object.keys(choices).find((c) => key === c || key.startsWith(`${c}.`));
    if (choice !== undefined) key = choice;
    if (!(key in out)) out[key] = sentence(choice !== undefined ? choices[choice]! : issue.message);
  }
  return out;
}

/** Main's refusal, placed next to its field when it names one (`toField` maps main's name to the form's input). */
export function mainErrors(error: AppError, toField: FieldMap = (f) => f): Errors {
  return error.field ? { [toField(error.field)]: sentence(localDates(error.message)) } : {};
}

/** The message for a path, or for the nearest parent path that has one (`drugs.0.dailyDose.value` → `drugs.0.dailyDose`). */
export function errorFor(errors: Errors, name: string): string | undefined {
  if (errors[name]) return errors[name];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${name}.`));
  return nested ? errors[nested] : undefined;
}

const errId = (formId: string, name: string) => `${formId}-${name.replaceAll('.', '-')}-error`;

/** aria props for an input that may carry an error. */
export function aria(formId: string, errors: Errors, name: string) {
  const msg = errorFor(errors, name);
  return { 'aria-invalid': !!msg, 'aria-describedby': msg ? errId(formId, name) : undefined };
}

export function FieldError({ formId, errors, name }: { formId: string; errors: Errors; name: string }) {
  const msg = errorFor(errors, name);
  return msg ? (
    <span className="field-error" id={errId(formId, name)}>
      {msg}
    </span>
  ) : null;
}

interface FieldProps {
  formId: string;
  errors: Errors;
  /** The field's path as main names it (`date`, `drugs.0.dailyDose`): its error shows below it. */
  name: string;
  label: ReactNode;
}

/** A labelled input with its field message, wired for assistive technology. */
export function InputField({ formId, errors, name, label, value, onChange, type, inputMode, required, max }: FieldProps & { value: string; onChange(value: string): void; type?: 'text' | 'date'; inputMode?: 'decimal' | 'numeric'; required?: boolean; max?: string }) {
  return (
    <label>
      {label}
      <input type={type} inputMode={inputMode} value={value} onChange={(e) => onChange(e.target.value)} {...aria(formId, errors, name)} required={required} max={max} />
      <FieldError formId={formId} errors={errors} name={name} />
    </label>
  );
}

/** The signer's password, asked again to sign an entry or an amendment. */
export function PasswordField({ formId, errors, value, onChange }: Omit<FieldProps, 'name' | 'label'> & { value: string; onChange(value: string): void }) {
  return (
    <label>
      Your password
      <input type="password" autoComplete="current-password" value={value} onChange={(e) => onChange(e.target.value)} {...aria(formId, errors, 'password')} />
      <FieldError formId={formId} errors={errors} name="password" />
    </label>
  );
}

/** A labelled select; `placeholder` adds a first empty choice ("Choose…"). */
export function SelectField({ formId, errors, name, label, value, onChange, options, placeholder }: FieldProps & { value: string; onChange(value: string): void; options: readonly { value: string; label: string }[]; placeholder?: string }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)} {...aria(formId, errors, name)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError formId={formId} errors={errors} name={name} />
    </label>
  );
}

/** A labelled text area (notes, allergies). */
export function TextAreaField({ formId, errors, name, label, value, onChange, rows = 2 }: FieldProps & { value: string; onChange(value: string): void; rows?: number }) {
  return (
    <label>
      {label}
      <textarea rows={rows} value={value} onChange={(e) => onChange(e.target.value)} {...aria(formId, errors, name)} />
      <FieldError formId={formId} errors={errors} name={name} />
    </label>
  );
}

/** A group of checkboxes for a list field (indications, removal reasons), with the list's message. */
export function CheckboxGroup<T extends string>({ formId, errors, name, label: legend, options, value, onChange }: FieldProps & { options: readonly { value: T; label: string }[]; value: readonly T[]; onChange(value: T[]): void }) {
  return (
    <fieldset {...aria(formId, errors, name)}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input type="checkbox" checked={value.includes(o.value)} onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((x) => x !== o.value))} />
          {o.label}
        </label>
      ))}
      <FieldError formId={formId} errors={errors} name={name} />
    </fieldset>
  );
}

/** Choices for a SelectField from a list of codes, labelled `label(code)` unless labels are given. */
export const choices = <T extends string>(codes: readonly T[], labels?: Readonly<Record<T, string>>) => codes.map((c) => ({ value: c, label: labels?.[c] ?? label(c) }));

/** A number typed in a text field: '' is "not given", anything else must parse (NaN is refused by the schema). */
export function num(s: string): number | undefined {
  const t = s.trim();
  return t === '' ? undefined : Number(t.replace(',', '.'));
}

const NG_PER: Record<MassUnitName, number> = { mg: 1_000_000, mcg: 1_000 };
/** An integer ng amount written in the drug's own unit, for an input's initial value. */
export const inUnit = (ng: number, unit: MassUnitName) => String(Number((ng / NG_PER[unit]).toFixed(3)));

export const label = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).replaceAll('_', ' ');

/**
 * Lets the record's toolbar close an open form the way its own Cancel does (asking first when it has
 * changes): RecordActions provides it, FormCard registers its close request in it.
 */
export const CloseRequest = createContext<{ current: ((then: () => void) => void) | null } | null>(null);

/** Whether a form's values differ from those it opened with (the first render's snapshot). */
export function useChanged(values: unknown): boolean {
  const now = JSON.stringify(values);
  const initial = useRef(now);
  return now !== initial.current;
}

interface FormCardProps {
  id: string;
  title: string;
  error: string | null;
  saving: boolean;
  submitLabel: string;
  onSubmit(e: FormEvent): void;
  onCancel(): void;
  children: ReactNode;
  danger?: boolean;
  /** The form has values the clinician typed: closing it asks first. */
  changed?: boolean;
  /** What is discarded, for the question: "Discard this refill?". */
  discardWhat?: string;
  /** A confirmation step is open in the form: its own buttons stand for the form's (no Cancel beside them). */
  confirming?: boolean;
  /** Save is not offered yet (e.g. a preview the clinician must see is still being computed). */
  submitDisabled?: boolean;
}

/**
 * A form shown in place on the record: focus goes to its first field on open, Escape or Cancel closes it
 * (an untouched form at once; one with changes after "Discard this …?", focus on "Keep editing"),
 * a form-level alert banner carries main's refusal.
 */
export function FormCard({ id, title, error, saving, submitLabel, onSubmit, onCancel, children, danger, changed = false, discardWhat = 'entry', confirming = false, submitDisabled = false }: FormCardProps) {
  const ref = useRef<HTMLFormElement>(null);
  // What to do once the clinician says Discard (close the form, or open another); null: not asking.
  const [discarding, setDiscarding] = useState<(() => void) | null>(null);
  // Where focus was when the question opened, to go back to on "Keep editing".
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);
  const requestClose = (then: () => void) => {
    if (!changed) return then();
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDiscarding(() => then);
  };
  const keepEditing = () => {
    setDiscarding(null);
    returnTo.current?.focus();
  };
  const closeRequest = useContext(CloseRequest);
  useEffect(() => {
    if (!closeRequest) return;
    closeRequest.current = requestClose;
    return () => {
      if (closeRequest.current === requestClose) closeRequest.current = null;
    };
  });
  const onKeyDown = (e: KeyboardEvent) => {
    // A dialog inside the form (a confirmation step) answers its own Escape.
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      requestClose(onCancel);
    }
  };
  return (
    <form ref={ref} id={id} className={`card form record-form${danger ? ' record-form-danger' : ''}`} onSubmit={onSubmit} onKeyDown={onKeyDown} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`}>{title}</h3>
      <ErrorBanner message={error} />
      {children}
      {discarding ? (
        <ConfirmDialog
          className="confirm-step"
          question={`Discard this ${discardWhat}? What you typed will be lost.`}
          confirmLabel="Discard"
          cancelLabel="Keep editing"
          onConfirm={() => {
            setDiscarding(null);
            discarding();
          }}
          onCancel={keepEditing}
        />
      ) : (
        !confirming && <FormActions submitLabel={submitLabel} saving={saving} disabled={submitDisabled} onCancel={() => requestClose(onCancel)} />
      )}
    </form>
  );
}

/** Save (showing "Saving…" while the request runs) and Cancel. */
export function FormActions({ submitLabel, saving = false, disabled = false, onCancel }: { submitLabel: string; saving?: boolean; disabled?: boolean; onCancel(): void }) {
  return (
    <div className="actions">
      <button type="submit" disabled={saving || disabled}>
        {saving ? 'Saving…' : submitLabel}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The confirmation step of a destructive form: nothing is sent until the clinician confirms.
 * Escape is "Go back" (to the filled-in form), never "close the form".
 */
export function ConfirmStep({ question, confirmLabel, onConfirm, onBack, saving }: { question: string; confirmLabel: string; onConfirm(): void; onBack(): void; saving: boolean }) {
  return <ConfirmDialog className="confirm-step" question={question} confirmLabel={confirmLabel} cancelLabel="Go back" onConfirm={onConfirm} onCancel={onBack} saving={saving} />;
}
