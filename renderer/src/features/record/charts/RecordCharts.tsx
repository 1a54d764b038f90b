import { useEffect, useMemo, useRef, useState } from 'react';
import type { PatientRecord } from '../../../../../shared/contract/record';
import { call } from '../../../api/client';
import { clinicToday } from '../../../format';
import type { CalendarDate } from '../../../../../shared/domain/calendar';
import { DEFAULT_DISCREPANCY_THRESHOLDS, type DiscrepancyThresholds } from '../../../../../shared/domain/refill';
import type { Microlitres } from '../../../../../shared/domain/units';
import { doseLines, recordSeries, visitRows } from './series';
import { ReservoirLevelChart } from './ReservoirLevelChart';
import { RefillHistoryChart } from './RefillHistoryChart';
import { DoseHistoryChart } from './DoseHistoryChart';
import { useChartColors, useWidth } from './hooks';
import './charts.css';

interface ChartSettings {
  today: CalendarDate;
  thresholds: DiscrepancyThresholds;
}

function fallbackSettings(): ChartSettings {
  return { today: clinicToday(null), thresholds: DEFAULT_DISCREPANCY_THRESHOLDS };
}

/** The patient's reservoir-level, refill-history and dose-history charts. */
export function RecordCharts({ record }: { record: PatientRecord }) {
  const [settings, setSettings] = useState<ChartSettings | null>(null);
  const [ref, width] = useWidth<HTMLDivElement>();
  const colors = useChartColors();

  useEffect(() => {
    let live = true;
    call('settings.get', {}).then(
      (r) => {
        if (!live) return;
        if (!r.ok) return setSettings(fallbackSettings());
        const s = r.value;
        setSettings({
          today: clinicToday(s.timeZone),
          thresholds: {
            smallUl: s.discrepancyThresholdSmallUl as Microlitres,
            largeUl: s.discrepancyThresholdLargeUl as Microlitres,
            smallReservoirMaxUl: s.smallReservoirMaxUl as Microlitres,
          },
        });
      },
      () => live && setSettings(fallbackSettings()),
    );
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

  const refillCount = record.pumps.reduce((n, p) => n + p.refills.length, 0);
  const chartWidth = Math.max(280, width);

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
          <ReservoirLevelChart pumps={data.pumps} today={settings.today} width={chartWidth} colors={colors} refillCount={refillCount} />
          <RefillHistoryChart pumps={data.pumps} visits={data.visits} width={chartWidth} colors={colors} />
          <DoseHistoryChart pumps={data.pumps} lines={data.doses.lines} marks={data.doses.concentrationMarks} width={chartWidth} colors={colors} />
        </>
      )}
    </section>
  );
}
