import { flushSync } from 'react-dom';
import { useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PatientRecord } from '../../../../../shared/contract/record';
import { chartEnd, doseLines, recordSeries, visitRows } from './series';
import { toEpochDay } from '../../../../../shared/domain/calendar';
import { ReservoirLevelChart } from './ReservoirLevelChart';
import { RefillHistoryChart } from './RefillHistoryChart';
import { DoseHistoryChart } from './DoseHistoryChart';
import { rememberChartWidth, useChartColors, useWidth } from './hooks';
import { RangePicker, rangeStart, type RangeKey } from './range';
import { loadChartSettings, peekChartSettings, type ChartSettings } from './settings';
import './charts.css';

export { prefetchChartSettings } from './settings';

/**
 * The patient's reservoir-level, refill-history and dose-history charts, one time range for all
 * three (the last year by default). They draw in the record's own first render when the chart
 * settings (requested with the record) and the width are known, as they are when the record opens.
 */
/** The charts' width on paper: an A4 portrait page between the margins (about 180 mm) at 96 px/in. */
export const PRINT_RECORD_CHART_WIDTH = 640;

/**
 * True while the page is printed: set synchronously in `beforeprint` (flushSync, so the charts are
 * redrawn at the print width before Chromium lays out the pages) and by the `print` media query
 * (emulated print, printToPDF).
 */
export function usePrinting(): boolean {
  const [printing, setPrinting] = useState(() => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('print').matches);
  useEffect(() => {
    const on = () => flushSync(() => setPrinting(true));
    const off = () => setPrinting(false);
    const media = typeof window.matchMedia === 'function' ? window.matchMedia('print') : null;
    const change = (e: MediaQueryListEvent) => (e.matches ? on() : off());
    window.addEventListener('beforeprint', on);
    window.addEventListener('afterprint', off);
    media?.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', on);
      window.removeEventListener('afterprint', off);
      media?.removeEventListener('change', change);
    };
  }, []);
  return printing;
}

export function RecordCharts({ record }: { record: PatientRecord }) {
  const [settings, setSettings] = useState<ChartSettings | null>(peekChartSettings);
  const [range, setRange] = useState<RangeKey>('1y');
  const [ref, width] = useWidth<HTMLDivElement>();
  const colors = useChartColors();

  useEffect(() => {
    let live = true;
    if (settings === null) void loadChartSettings().then((s) => live && setSettings(s));
    return () => {
      live = false;
    };
    // Once, on mount: `settings` is only the first state here.
  }, []);

  const data = useMemo(() => {
    if (!settings) return null;
    performance.mark('charts-start');
    const pumps = recordSeries(record, settings.today, settings.thresholds);
    const result = { pumps, visits: visitRows(pumps), doses: doseLines(pumps) };
    performance.mark('charts-computed');
    return result;
  }, [record, settings]);

  const ready = data !== null && width > 0;
  // User Timing marks (DevTools' performance panel; e2e checks the charts were painted):
  // the series computed above, the charts committed, then painted.
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    performance.mark('charts-drawn');
    requestAnimationFrame(() => setTimeout(() => performance.mark('charts-painted'), 0));
  }, [ready]);

  const refillCount = record.pumps.reduce((n, p) => n + p.refills.length, 0);
  // Printing the record (Ctrl+P): a fixed width that fits the A4 page (recharts does not resize
  // before print), so the flagged residual and the projection at the right are not cut off.
  const printing = usePrinting();
  const chartWidth = printing ? PRINT_RECORD_CHART_WIDTH : Math.max(280, width);
  const from = data && settings && data.pumps.length > 0 ? rangeStart(data.pumps, settings.today, range) : 0;
  // A new range repaints the reservoir chart first; the two below follow without blocking it.
  const lowerFrom = useDeferredValue(from);
  // The refill and dose charts run past today to the next refill due (at least 4 weeks).
  const todayDay = settings ? toEpochDay(settings.today) : 0;
  const end = data && settings ? chartEnd(data.pumps, settings.today) : 0;
  const shownVisits = useMemo(() => data?.visits.filter((v) => v.day >= lowerFrom) ?? [], [data, lowerFrom]);

  return (
    <section className="card record-charts" aria-labelledby="record-charts-title" data-refill-count={refillCount}>
      <h2 id="record-charts-title" className="visually-hidden">
        Charts
      </h2>
      <div ref={ref} className="rc-measure" />
      {!data || !settings ? (
        <p aria-busy="true">Loading the charts…</p>
      ) : refillCount === 0 ? (
        <p className="empty">No refills recorded yet</p>
      ) : width === 0 ? null /* measured before the first paint (useWidth) */ : (
        <>
          <RangePicker value={range} onChange={setRange} />
          <ReservoirLevelChart pumps={data.pumps} today={settings.today} from={from} width={chartWidth} colors={colors} refillCount={refillCount} />
          <RefillHistoryChart pumps={data.pumps} visits={shownVisits} total={data.visits.length} from={lowerFrom} to={end} today={todayDay} width={chartWidth} colors={colors} />
          <DoseHistoryChart pumps={data.pumps} lines={data.doses.lines} marks={data.doses.concentrationMarks} from={lowerFrom} to={end} today={todayDay} width={chartWidth} colors={colors} />
        </>
      )}
    </section>
  );
}

/**
 * An invisible copy of the charts' frame, shown with "Loading the record…": it measures the width
 * the charts will have while the page is small, so the record draws its charts in its first render
 * without laying out the whole record first (see rememberChartWidth).
 */
export function ChartWidthProbe() {
  const ref = useRef<HTMLDivElement | null>(null);
  useLayoutEffect(() => {
    if (ref.current) rememberChartWidth(Math.floor(ref.current.getBoundingClientRect().width));
  }, []);
  return (
    <section className="card record-charts rc-probe" aria-hidden="true">
      <div ref={ref} className="rc-measure" />
    </section>
  );
}
