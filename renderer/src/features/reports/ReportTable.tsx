import { assertNever } from '../../../../shared/contract/result';
import { cellText, massNumberText, massUnitText, type ReportColumn, type ReportSection, type ReportValue } from '../../../../shared/contract/reports';
import { discrepancyPercentWords } from '../../../../shared/domain/wording';
import { URGENCY_LABELS } from '../../../../shared/domain/urgency-words';
import { URGENCIES } from '../../../../shared/domain/worklist';

/** The colour class of an urgency cell (the refill schedule's Urgency column), by its label. */
const URGENCY_BY_LABEL = new Map<string, string>(URGENCIES.map((u) => [URGENCY_LABELS[u], `cell-urgency-${u}`]));
export function urgencyCellClass(value: ReportValue, column: ReportColumn): string | undefined {
  return column.key === 'urgency' && typeof value === 'string' ? URGENCY_BY_LABEL.get(value) : undefined;
}
import { discrepancy, formatDate, formatFixed, formatNumber, localDates } from '../../format';

/**
 * A cell as the console shows it: dates and numbers in the user's locale (11/24/2026, 1,250.5 in
 * en-US; 24.11.2026, 1.250,5 in de-DE), units kept. The exported files and the PDF keep the
 * report's own text (ISO dates, plain decimals), which reads the same everywhere.
 */
export function localeCellText(value: ReportValue, column: ReportColumn): string {
  if (value === null) return '';
  const t = column.type;
  switch (t) {
    case 'date':
      return typeof value === 'string' ? formatDate(value) : String(value);
    case 'volume':
      return typeof value === 'number' ? formatFixed(value / 1000, 3) : String(value);
    case 'count':
      return typeof value === 'number' ? formatNumber(value, 0) : String(value);
    case 'percent':
      return typeof value === 'number' ? formatFixed(value, 1) : String(value);
    case 'mass':
      // The exact decimal, then in the locale (a mass has at most 6 decimals of its unit).
      return typeof value === 'object' ? `${formatNumber(Number(massNumberText(value)), 6)} ${massUnitText(value, column)}` : String(value);
    case 'discrepancy':
      return typeof value === 'number' ? discrepancy(value) : String(value);
    case 'discrepancy_percent':
      return typeof value === 'number' ? discrepancyPercentWords(value, (v, d) => formatFixed(v, d)) : String(value);
    case 'text':
    case 'flag':
      return cellText(value, column);
  }
  return assertNever(t, 'column type');
}

/**
 * A cell on paper (the PDF): the report's own text (plain decimals, signed discrepancies in words
 * as the data has them), but every date — a date column, or a date inside text such as "2026-01-25:
 * battery end of life" — in the print view's locale, the one formatter the whole PDF uses.
 */
export function paperCellText(value: ReportValue, column: ReportColumn): string {
  if (value === null) return '';
  if (column.type === 'date') return typeof value === 'string' ? formatDate(value) : String(value);
  return column.type === 'text' ? localDates(cellText(value, column)) : cellText(value, column);
}

/**
 * One section of a report as a table (preview and print). Numbers right-aligned; empty: its
 * sentence. `locale`: dates and numbers as the console shows them (the preview); else the
 * report's own text with its dates in the print view's locale (the PDF: paperCellText).
 */
export function ReportTable({ section, headingLevel = 3, locale = false }: { section: ReportSection; headingLevel?: 2 | 3; locale?: boolean }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const id = `report-section-${section.key}`;
  const numeric = (t: string) => t === 'count' || t === 'volume' || t === 'mass' || t === 'percent';
  // Titles and headers such as "Days since (to 2026-12-07)": their dates as the cells' (locale, or paper).
  const words = (s: string) => localDates(s);
  return (
    <section className="report-section" aria-labelledby={id} data-section={section.key}>
      <Heading id={id}>{words(section.title)}</Heading>
      {section.rows.length === 0 ? (
        <p className="empty">{words(section.empty || 'Nothing to show.')}</p>
      ) : (
        <>
          <table className="list report-table">
            <thead>
              <tr>
                {section.columns.map((c) => (
                  <th key={c.key} scope="col" className={numeric(c.type) ? 'num' : undefined}>
                    {words(c.label)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row, i) => (
                <tr key={i}>
                  {section.columns.map((c, j) => (
                    <td key={c.key} className={numeric(c.type) ? 'num' : c.type === 'date' ? 'date' : urgencyCellClass(row[j] ?? null, c)}>
                      {(locale ? localeCellText : paperCellText)(row[j] ?? null, c)}
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
