import { ReferenceLine } from 'recharts';
import { fromEpochDay } from '../../../../../shared/domain/calendar';
import { formatDate, formatNumber } from '../../../format';
import type { ChartColors } from './hooks';
import type { PumpSeries } from './series';

/** Epoch day → the date in the user's locale, for axis ticks, tooltips and summaries. */
export const dayLabel = (day: unknown): string => (typeof day === 'number' && Number.isFinite(day) ? formatDate(fromEpochDay(Math.round(day))) : '');

/** A `YYYY-MM-DD` date (as the record carries it) in the user's locale; axis ticks pass `unknown`. */
export const isoLabel = (iso: unknown): string => (typeof iso === 'string' ? formatDate(iso) : '');

interface TickProps {
  x?: number | string;
  y?: number | string;
  textAnchor?: 'start' | 'middle' | 'end' | 'inherit';
  verticalAnchor?: 'start' | 'middle' | 'end';
  payload?: { value?: unknown };
}

/**
 * Axis tick labels as plain SVG text. recharts' own tick text measures every label in the DOM
 * (a forced layout of the whole page for each new label); ours are short and never wrap.
 */
export function plainTick(format: (value: unknown) => string, fill: string) {
  return function PlainTick({ x, y, textAnchor, verticalAnchor, payload }: TickProps) {
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'middle' ? '0.355em' : undefined;
    return (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor ?? 'middle'} fill={fill} fontSize={11} className="recharts-cartesian-axis-tick-value">
        {format(payload?.value)}
      </text>
    );
  };
}

/** A number tick in the user's locale. */
export const numberLabel = (digits: number) => (value: unknown) => (typeof value === 'number' ? formatNumber(value, digits) : '');

/** Year ticks (1 January) between two epoch days, at most ~12 of them. */
export function yearTicks(from: number, to: number): number[] {
  const y0 = Number(fromEpochDay(Math.ceil(from)).slice(0, 4));
  const y1 = Number(fromEpochDay(Math.floor(to)).slice(0, 4));
  const years = y1 - y0 + 1;
  if (to - from < 3 * 365) return monthTicks(from, to);
  const step = Math.max(1, Math.ceil(years / 12));
  const ticks: number[] = [];
  for (let y = y0; y <= y1 + 1; y += step) {
    const d = Date.UTC(y, 0, 1) / 86_400_000;
    if (d >= from && d <= to) ticks.push(d);
  }
  return ticks;
}

function monthTicks(from: number, to: number): number[] {
  const start = fromEpochDay(Math.ceil(from));
  let y = Number(start.slice(0, 4));
  let m = Number(start.slice(5, 7)) - 1;
  const ticks: number[] = [];
  const months = Math.ceil((to - from) / 30);
  const step = Math.max(1, Math.ceil(months / 12));
  for (;;) {
    const d = Date.UTC(y, m, 1) / 86_400_000;
    if (d > to) break;
    if (d >= from) ticks.push(d);
    m += step;
    y += Math.floor(m / 12);
    m %= 12;
  }
  return ticks;
}

/** Implant and removal of each pump as vertical lines (only those inside [from, to]). */
export function pumpBoundaries(pumps: readonly PumpSeries[], colors: ChartColors, from: number, to: number, labels = true) {
  const lines = [];
  for (const p of pumps) {
    const { pump, removal } = p.history;
    if (p.startDay >= from && p.startDay <= to) {
      lines.push(
        <ReferenceLine
          key={`implant-${pump.id}`}
          x={p.startDay}
          stroke={colors.muted}
          strokeWidth={2}
          ifOverflow="hidden"
          label={labels ? { value: `Implant ${pump.serial}`, position: 'insideTopLeft', fill: colors.muted, fontSize: 11 } : undefined}
        />,
      );
    }
    if (removal && p.endDay >= from && p.endDay <= to) {
      lines.push(
        <ReferenceLine
          key={`removal-${pump.id}`}
          x={p.endDay}
          stroke={colors.danger}
          strokeWidth={2}
          ifOverflow="hidden"
          label={labels ? { value: `Removal ${pump.serial}`, position: 'insideTopRight', fill: colors.danger, fontSize: 11 } : undefined}
        />,
      );
    }
  }
  return lines;
}
