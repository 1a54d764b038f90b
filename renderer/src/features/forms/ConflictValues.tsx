/**
 * Someone else saved first (several people at once): what the record holds now, beside the form
 * that keeps what was typed, so the change can be made again on top of it.
 */
export function ConflictValues({ rows, id }: { rows: readonly (readonly [string, string])[]; id: string }) {
  return (
    <section className="banner banner-warn conflict-values" aria-labelledby={`${id}-title`} data-testid="conflict-values">
      <h4 id={`${id}-title`}>Now on the record</h4>
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>What you typed is still in the form: check it against these values and save again.</p>
    </section>
  );
}

/** A value as the panel shows it: lists joined, nothing as "—". */
export function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(shown).join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}
