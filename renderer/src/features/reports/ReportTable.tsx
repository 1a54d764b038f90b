import { cellText, type ReportSection } from '../../../../shared/contract/reports';

/** One section of a report as a table (preview and print). Numbers right-aligned; empty: its sentence. */
export function ReportTable({ section, headingLevel = 3 }: { section: ReportSection; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `report-section-${section.key}`;
  const numeric = (t: string) => t === 'count' || t === 'volume' || t === 'mass' || t === 'percent';
  return (
    <section className="report-section" aria-labelledby={id} data-section={section.key}>
      <Heading id={id}>{section.title}</Heading>
      {section.rows.length === 0 ? (
        <p className="empty">{section.empty || 'Nothing to show.'}</p>
      ) : (
        <>
          <table className="list report-table">
            <thead>
              <tr>
                {section.columns.map((c) => (
                  <th key={c.key} scope="col" className={numeric(c.type) ? 'num' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row, i) => (
                <tr key={i}>
                  {section.columns.map((c, j) => (
                    <td key={c.key} className={numeric(c.type) ? 'num' : c.type === 'date' ? 'date' : undefined}>
                      {cellText(row[j] ?? null, c)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {section.totalRows > section.rows.length && (
            <p className="report-more">
              Showing the first {section.rows.length} of {section.totalRows} rows; the export holds them all.
            </p>
          )}
        </>
      )}
    </section>
  );
}
