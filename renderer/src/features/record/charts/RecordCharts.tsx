import { startTransition, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { PatientRecord } from '../../../../../shared/contract/record';
import { doseLines, recordSeries, visitRows } from './series';
import { ReservoirLevelChart } from './ReservoirLevelChart';
import { RefillHistoryChart } from './RefillHistoryChart';
import { DoseHistoryChart } from './DoseHistoryChart';
import { useChartColors, useWidth } from './hooks';
import { RangePicker, rangeStart, type RangeKey } from './range';
import { takeChartSettings, type ChartSettings } from './settings';
import './charts.css';

export { prefetchChartSettings } from './settings';

/** Heights the charts take before they are drawn (no jump when they appear). */
const LEVEL_PLACEHOLDER_PX = 380;
const LOWER_PLACEHOLDER_PX = 640;

/**
 * The patient's reservoir-level, refill-history and dose-history charts, one time range for all
 * three (the last year by default). Drawn in stages, each after the previous one is on screen and
 * in a transition: the record first, then the reservoir chart, then the two below it, so opening a
 * long record shows at once and never blocks the window for long.
 */
export function RecordCharts({ record }: { record: PatientRecord }) {
  const [settings, setSettings] = useState<ChartSettings | null>(null);
  const [range, setRange] = useState<RangeKey>('1y');
  /** 0: nothing drawn yet; 1: the reservoir chart; 2: all three. */
  const [stage, setStage] = useState(0);
  const [ref, width] = useWidth<HTMLDivElement>();
  const colors = useChartColors();

  useEffect(() => {
    let live = true;
    void takeChartSettings().then((s) => live && setSettings(s));
    return () => {
      live = false;
    };
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
  const marked = useRef(false);
  useEffect(() => {
    if (!ready || marked.current) return;
    marked.current = true;
    performance.mark('charts-rendered');
    requestAnimationFrame(() => performance.mark('charts-painted'));
  }, [ready]);
  // The next stage once this one is painted (the task after the next frame).
  useEffect(() => {
    if (!ready || stage >= 2) return;
    let timer: number | undefined;
    const frame = requestAnimationFrame(() => {
      timer = window.setTimeout(() => startTransition(() => setStage((s) => Math.min(2, s + 1))), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      window.clearTimeout(timer);
    };
  }, [ready, stage]);

  const refillCount = record.pumps.reduce((n, p) => n + p.refills.length, 0);
  const chartWidth = Math.max(280, width);
  const from = data && settings && data.pumps.length > 0 ? rangeStart(data.pumps, settings.today, range) : 0;
  // A new range repaints the reservoir chart first; the two below follow without blocking it.
  const lowerFrom = useDeferredValue(from);
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
      ) : width === 0 ? null : (
        <>
          <RangePicker value={range} onChange={setRange} />
          {stage >= 1 ? (
            <ReservoirLevelChart pumps={data.pumps} today={settings.today} from={from} width={chartWidth} colors={colors} refillCount={refillCount} />
          ) : (
            <p aria-busy="true" style={{ minHeight: LEVEL_PLACEHOLDER_PX }}>
              Drawing the reservoir level…
            </p>
          )}
          {stage >= 2 ? (
            <>
              <RefillHistoryChart pumps={data.pumps} visits={shownVisits} total={data.visits.length} width={chartWidth} colors={colors} />
              <DoseHistoryChart pumps={data.pumps} lines={data.doses.lines} marks={data.doses.concentrationMarks} from={lowerFrom} width={chartWidth} colors={colors} />
            </>
          ) : (
            <p aria-busy="true" style={{ minHeight: LOWER_PLACEHOLDER_PX }}>
              Drawing the refill and dose history…
            </p>
          )}
        </>
      )}
    </section>
  );
}
