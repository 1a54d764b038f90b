import type { ReactNode } from 'react';

/** '' → NaN so that a blank required number is refused by the schema rather than read as 0. */
export const num = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s));
/** '' → null for optional numbers. */
export const numOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s));

/** A labelled control with its field error, wired for assistive technology. */
export function Field({ id, label, error, children }: { id: string; label: string; error: string | undefined; children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode }) {
  return (
    <label htmlFor={id}>
      {label}
      {children({ id, 'aria-invalid': !!error, 'aria-describedby': error ? `${id}-error` : undefined })}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </label>
  );
}
