import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { Result } from '../../../../shared/contract/result';
import { firstErrors } from '../../components/form-errors';
import { FormActions } from '../forms/fields';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Field } from './fields';

type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };

/**
 * A settings list (drugs, device models) edited one draft at a time: the list as main answers it,
 * the open draft, its field messages (from the schema main uses, then main's refusal) and the notice
 * after a save. `list` must be a stable function (defined at module level).
 */
export function useListEditor<T, D>(list: () => Promise<Result<T[]>>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [draft, setDraft] = useState<D | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // The version of the item the open draft edits (parsed and sent with it as `basedOn`, required with an `id`; several people at once).
  const [basedOn, setBasedOn] = useState<number | undefined>(undefined);

  const load = useCallback(async () => {
    const r = await list();
    if (r.ok) setItems(r.value);
    else setFormError(r.error.message);
  }, [list]);
  useEffect(() => void load(), [load]);

  /** Opens a draft; `version`: the item's as listed (an existing item's edit carries it). */
  function open(d: D, version?: number) {
    setBasedOn(version);
    setDraft(d);
    setErrors({});
    setFormError(null);
    setNotice(null);
  }

  /** Validates, saves, closes the draft with a notice and reloads the list; or shows what is wrong. */
  async function save<I, S>(parsed: Parsed<I>, send: (input: I) => Promise<Result<S>>, savedNotice: (saved: S) => string) {
    if (!parsed.success) {
      setErrors(firstErrors(parsed.error.issues));
      setFormError('Please correct the fields marked below.');
      return;
    }
    const r = await send(parsed.data);
    if (r.ok) {
      setDraft(null);
      setNotice(savedNotice(r.value));
      void load();
      return;
    }
    setErrors(r.error.field ? { [r.error.field.split('.')[0]!]: r.error.message } : {});
    setFormError(r.error.message);
    // Someone else saved this item first: the list shows it as it is now, the draft keeps what was
    // typed, and saving again is based on the version now.
    if (r.error.conflict) {
      setBasedOn(r.error.conflict.version);
      void load();
    }
  }

  /** Changes one field of the open draft. */
  const setField = (key: keyof D, value: string) => setDraft((d) => d && { ...d, [key]: value });

  return { items, draft, basedOn, errors, formError, notice, open, close: () => setDraft(null), save, setField };
}

/** The section of one list: its title, the Add button (off while a draft is open), the notice, the table and the draft form. */
export function ListSection({ id, title, addLabel, editing, onAdd, notice, children }: { id: string; title: string; addLabel: string; editing: boolean; onAdd(): void; notice: string | null; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="toolbar">
        <h3 id={`${id}-title`}>{title}</h3>
        <button type="button" onClick={onAdd} disabled={editing}>
          {addLabel}
        </button>
      </div>
      {notice && (
        <p role="status" className="banner banner-ok">
          {notice}
        </p>
      )}
      {children}
    </section>
  );
}

/** The draft's form: title, the refusal banner, the fields, Save and Cancel. */
export function DraftForm({ id, title, error, submitLabel, onSubmit, onCancel, children }: { id: string; title: string; error: string | null; submitLabel: string; onSubmit(e: FormEvent): void; onCancel(): void; children: ReactNode }) {
  return (
    <form className="form card" onSubmit={onSubmit} aria-labelledby={`${id}-title`} noValidate>
      <h4 id={`${id}-title`}>{title}</h4>
      <ErrorBanner message={error} />
      {children}
      <FormActions submitLabel={submitLabel} onCancel={onCancel} />
    </form>
  );
}

/** A list's table: one column per field and an Edit button per row (off while a draft is open). */
export function ListTable<T extends { id: number }>({ caption, columns, items, editLabel, onEdit, editing }: { caption: string; columns: readonly [string, (item: T) => ReactNode][]; items: T[]; editLabel(item: T): string; onEdit(item: T): void; editing: boolean }) {
  // A wide list (the drug list's limits and sources) scrolls inside its own box, never the page;
  // the box is focusable so the keyboard can scroll it.
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="list">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map(([header]) => (
              <th key={header} scope="col">
                {header}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              {columns.map(([header, cell]) => (
                <td key={header}>{cell(item)}</td>
              ))}
              <td>
                <button type="button" className="secondary" onClick={() => onEdit(item)} aria-label={editLabel(item)} disabled={editing}>
                  Edit
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A draft's text or number input, its message keyed by the contract field (`errorKey`). */
export function DraftInput({ id, label, error, value, onChange, type = 'number' }: { id: string; label: string; error: string | undefined; value: string; onChange(value: string): void; type?: 'text' | 'number' }) {
  return (
    <Field id={id} label={label} error={error}>
      {(a11y) => <input {...a11y} type={type} step="any" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
