/**
 * The print view the PDF is made from (`#/print`). It has no session and makes no request: the
 * shell printing it (Electron printToPDF, or headless Chromium) sets `window.__reservoirPrintData`
 * to the report's data and fires `reservoir-print-data`; when everything is drawn the view marks
 * `<body data-print-ready>`. Fixed-size charts (no ResponsiveContainer), the page flows (no 100vh
 * scroll container); Chromium's header and footer templates carry the clinic, report, period,
 * page numbers and the time it was made.
 */
import { useEffect, useState } from 'react';
import type { ReportData } from '../../../../../shared/contract/reports';
import { localDates, setPrintLocale } from '../../../format';
import { ReportTable } from '../ReportTable';
import { PaperView } from './PaperView';
import { PrintCharts } from './PrintCharts';
import './print.css';

declare global {
  interface Window {
    __reservoirPrintData?: ReportData;
  }
}

export const PRINT_DATA_EVENT = 'reservoir-print-data';

/** The data to print, with the print view's locale set to the one it carries (every date on paper in it). */
function printData(): ReportData | null {
  const data = window.__reservoirPrintData ?? null;
  if (data !== null) setPrintLocale(data.locale);
  return data;
}

export function PrintScreen() {
  const [data, setData] = useState<ReportData | null>(printData);

  useEffect(() => {
    document.body.classList.add('print-body');
    const take = () => setData(printData());
    window.addEventListener(PRINT_DATA_EVENT, take);
    take();
    return () => window.removeEventListener(PRINT_DATA_EVENT, take);
  }, []);

  useEffect(() => {
    if (data === null) return;
    // Two frames: React has committed and the browser has laid out the charts.
    const id = requestAnimationFrame(() => requestAnimationFrame(() => document.body.setAttribute('data-print-ready', 'true')));
    return () => cancelAnimationFrame(id);
  }, [data]);

  if (data === null) return <p data-print-waiting="true">Waiting for the report…</p>;
  if (data.paper) return <PaperView data={data} paper={data.paper} />;
  return (
    <article className="print-view" aria-label={data.title}>
      <header>
        <h1>{data.title}</h1>
        <p className="print-meta">
          {data.clinicName} · {localDates(data.periodLabel)} · {data.patientCount} patient{data.patientCount === 1 ? '' : 's'}
        </p>
        {data.filters.length > 0 && (
          <ul className="print-filters">
            {data.filters.map((f) => (
              <li key={f.label}>
                {f.label}: {localDates(f.value)}
              </li>
            ))}
          </ul>
        )}
      </header>
      {data.patientRecord && <PrintCharts attachment={data.patientRecord} />}
      {data.sections.map((s) => (
        <ReportTable key={s.key} section={s} headingLevel={2} />
      ))}
    </article>
  );
}
