import { useMemo } from 'react';
import type { ReportData } from '../../../../../shared/contract/reports';
import { toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import type { Microlitres } from '../../../../../shared/domain/units';
import { DoseHistoryChart } from '../../record/charts/DoseHistoryChart';
import type { ChartColors } from '../../record/charts/hooks';
import { RefillHistoryChart } from '../../record/charts/RefillHistoryChart';
import { ReservoirLevelChart } from '../../record/charts/ReservoirLevelChart';
import { rangeStart } from '../../record/charts/range';
import { chartEnd, doseLines, recordSeries, visitRows } from '../../record/charts/series';
import '../../record/charts/charts.css';

/** Light colours on paper, whatever the screen's theme. */
const PAPER: ChartColors = { fg: '#1b1f24', muted: '#5b6470', accent: '#0b5cad', danger: '#a8071a', warn: '#8a5a00', border: '#d0d5dc', card: '#ffffff' };
/** Fixed width: fits an A4 landscape page between the margins. */
export const PRINT_CHART_WIDTH = 900;

/** The patient record's charts, drawn at a fixed size for the page. */
export function PrintCharts({ attachment }: { attachment: NonNullable<ReportData['patientRecord']> }) {
  const { record, today, thresholds } = attachment;
  const data = useMemo(() => {
    const pumps = recordSeries(record, today as CalendarDate, {
      smallUl: thresholds.smallUl as Microlitres,
      largeUl: thresholds.largeUl as Microlitres,
      smallReservoirMaxUl: thresholds.smallReservoirMaxUl as Microlitres,
    });
    // The whole history on paper.
    const from = pumps.length > 0 ? rangeStart(pumps, today as CalendarDate, 'all') : 0;
    return { pumps, visits: visitRows(pumps), doses: doseLines(pumps), from, to: chartEnd(pumps, today as CalendarDate), today: toEpochDay(today as CalendarDate) };
  }, [record, today, thresholds]);
  const refillCount = record.pumps.reduce((n, p) => n + p.refills.length, 0);
  if (refillCount === 0) return <p className="empty">No refills recorded: no charts.</p>;
  return (
    <section className="print-charts" aria-label="Charts">
      <ReservoirLevelChart pumps={data.pumps} today={today as CalendarDate} from={data.from} width={PRINT_CHART_WIDTH} colors={PAPER} refillCount={refillCount} />
      <RefillHistoryChart pumps={data.pumps} visits={data.visits} total={data.visits.length} from={data.from} to={data.to} today={data.today} width={PRINT_CHART_WIDTH} colors={PAPER} />
      <DoseHistoryChart pumps={data.pumps} lines={data.doses.lines} marks={data.doses.concentrationMarks} from={data.from} to={data.to} today={data.today} width={PRINT_CHART_WIDTH} colors={PAPER} />
    </section>
  );
}
