import type { ReactNode } from 'react';
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
 * (a forced layout of the whole page for each new label); ours are short and never wrap. Nor do
 * they carry recharts' tick class: an axis that finds one reads its computed style when it mounts
 * (a style recalculation of the page per axis).
 */
export function plainTick(format: (value: unknown) => string, fill: string) {
  return function PlainTick({ x, y, textAnchor, verticalAnchor, payload }: TickProps) {
    const dy = verticalAnchor === 'start' ? '0.71em' : verticalAnchor === 'middle' ? '0.355em' : undefined;
    return (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor ?? 'middle'} fill={fill} fontSize={11} className="rc-tick">
        {format(payload?.value)}
      </text>
    );
  };
}

/**
 * An axis title as plain SVG text, turned along the axis: `<YAxis label={<AxisTitle … />} />`.
 * recharts' own label text measures its string in the DOM to fit it.
 */
export function AxisTitle({ text, fill, side, viewBox }: { text: string; fill: string; side: 'left' | 'right'; viewBox?: { x?: number; y?: number; width?: number; height?: number } }) {
  if (!viewBox || viewBox.x === undefined || viewBox.y === undefined || viewBox.width === undefined || viewBox.height === undefined) return null;
  const x = side === 'left' ? viewBox.x + 12 : viewBox.x + viewBox.width - 12;
  const y = viewBox.y + viewBox.height / 2;
  return (
    <text x={x} y={y} transform={`rotate(${side === 'left' ? -90 : 90}, ${x}, ${y})`} textAnchor="middle" dominantBaseline="central" fill={fill} fontSize={12}>
      {text}
    </text>
  );
}

/** A number tick in the user's locale. */
export const numberLabel = (digits: number) => (value: unknown) => (typeof value === 'number' ? formatNumber(value, digits) : '');

/**
 * Evenly spaced round ticks from 0 to at least `max` (> 0): a step of 1, 2, 2.5 or 5 times a power
 * of ten giving at most `count` intervals. niceTicks(57.5) → [0, 20, 40, 60];
 * niceTicks(2.4) → [0, 0.5, 1, 1.5, 2, 2.5]. The last tick is the axis's top.
 */
export function niceTicks(max: number, count = 5): number[] {
  const top = max > 0 && Number.isFinite(max) ? max : 1;
  const raw = top / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12) ?? 10 * power);
  const n = Math.ceil(top / step - 1e-9);
  // Rounded to the step's decimals, so 0.1 × 3 is 0.3, not 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toFixed(decimals)));
}

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

type Scale = (value: number) => number;

/** What recharts hands a `<Customized>` child: the axes (with their scales) and the plot area. */
interface ChartState {
  xAxisMap?: Record<string, { scale: Scale }>;
  yAxisMap?: Record<string, { scale: Scale }>;
  offset?: { left: number; top: number; width: number; height: number };
}

/** The plot in SVG coordinates: value → pixel for each axis, and the plot area's edges. */
export interface PlotFrame {
  readonly x: Scale;
  readonly y: Scale;
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/**
 * A chart's reference lines, markers and their labels, drawn as plain SVG with the chart's own
 * scales: `<Customized component={<Decorations draw={…} />} />`. Each recharts reference element
 * is a component the chart lays out on every render; a chart with a dozen of them drew at half
 * the speed. `yAxisId` picks the axis the y values are on (the first one by default).
 */
export function Decorations({ draw, yAxisId, xAxisMap, yAxisMap, offset }: ChartState & { draw: (frame: PlotFrame) => ReactNode; yAxisId?: string }) {
  const xAxis = xAxisMap ? Object.values(xAxisMap)[0] : undefined;
  const yAxis = yAxisMap ? (yAxisId !== undefined ? yAxisMap[yAxisId] : Object.values(yAxisMap)[0]) : undefined;
  if (!xAxis || !yAxis || !offset) return null;
  const frame: PlotFrame = { x: xAxis.scale, y: yAxis.scale, left: offset.left, top: offset.top, right: offset.left + offset.width, bottom: offset.top + offset.height };
  return <g className="rc-decorations">{draw(frame)}</g>;
}

export interface LineLabel {
  readonly text: string;
  readonly fill: string;
  readonly fontSize: number;
  /** Where, as recharts names it: inside the plot at the top (left of, right of, or on the line), or above the plot. */
  readonly position: 'insideTopLeft' | 'insideTopRight' | 'insideTop' | 'top';
}

/** The x pixel of `x` when it is inside the plot, else null (the line is not drawn: recharts' `ifOverflow="hidden"`). */
function inPlotX(frame: PlotFrame, x: number): number | null {
  const px = frame.x(x);
  return Number.isFinite(px) && px >= frame.left - 0.5 && px <= frame.right + 0.5 ? px : null;
}

/** A vertical reference line at `x` (from `y1`, a pixel, or the foot of the plot, to the top), with an optional label and hover text. */
export function VLine({ frame, x, stroke, strokeWidth = 1, dash, label, y1, title }: { frame: PlotFrame; x: number; stroke: string; strokeWidth?: number; dash?: string; label?: LineLabel; y1?: number; title?: string }) {
  const px = inPlotX(frame, x);
  if (px === null) return null;
  const offset = 5;
  let text: ReactNode = null;
  if (label) {
    const [tx, ty, anchor, dy]: [number, number, 'start' | 'middle' | 'end', string | undefined] =
      label.position === 'insideTopLeft'
        ? [px + offset, frame.top + offset, 'start', '0.71em']
        : label.position === 'insideTopRight'
          ? [px - offset, frame.top + offset, 'end', '0.71em']
          : label.position === 'insideTop'
            ? [px, frame.top + offset, 'middle', '0.71em']
            : [px, frame.top - offset, 'middle', undefined];
    text = (
      <text x={tx} y={ty} dy={dy} textAnchor={anchor} fill={label.fill} fontSize={label.fontSize}>
        {label.text}
      </text>
    );
  }
  return (
    <g className="rc-reference-line">
      {title ? <title>{title}</title> : null}
      <line x1={px} x2={px} y1={y1 ?? frame.bottom} y2={frame.top} stroke={stroke} strokeWidth={strokeWidth} strokeDasharray={dash} />
      {text}
    </g>
  );
}

/** A horizontal reference line at `y` from `x1` to `x2` (values; cut to the plot), labelled at its bottom left. */
export function HLine({ frame, y, x1, x2, stroke, dash, label }: { frame: PlotFrame; y: number; x1?: number; x2?: number; stroke: string; dash?: string; label?: Omit<LineLabel, 'position'> }) {
  const py = frame.y(y);
  if (!Number.isFinite(py) || py < frame.top - 0.5 || py > frame.bottom + 0.5) return null;
  const left = Math.max(frame.left, x1 === undefined ? frame.left : frame.x(x1));
  const right = Math.min(frame.right, x2 === undefined ? frame.right : frame.x(x2));
  if (!(right > left)) return null;
  return (
    <g className="rc-reference-line">
      <line x1={left} x2={right} y1={py} y2={py} stroke={stroke} strokeDasharray={dash} />
      {label ? (
        <text x={left + 5} y={py - 5} textAnchor="start" fill={label.fill} fontSize={label.fontSize}>
          {label.text}
        </text>
      ) : null}
    </g>
  );
}

/** Implant and removal of each pump as vertical lines (only those inside the plot). */
export function pumpBoundaries(frame: PlotFrame, pumps: readonly PumpSeries[], colors: ChartColors, labels = true) {
  const lines: ReactNode[] = [];
  for (const p of pumps) {
    const { pump, removal } = p.history;
    lines.push(
      <VLine
        key={`implant-${pump.id}`}
        frame={frame}
        x={p.startDay}
        stroke={colors.muted}
        strokeWidth={2}
        label={labels ? { text: `Implant ${pump.serial}`, position: 'insideTopLeft', fill: colors.muted, fontSize: 11 } : undefined}
      />,
    );
    if (removal) {
      lines.push(
        <VLine
          key={`removal-${pump.id}`}
          frame={frame}
          x={p.endDay}
          stroke={colors.danger}
          strokeWidth={2}
          label={labels ? { text: `Removal ${pump.serial}`, position: 'insideTopRight', fill: colors.danger, fontSize: 11 } : undefined}
        />,
      );
    }
  }
  return lines;
}
