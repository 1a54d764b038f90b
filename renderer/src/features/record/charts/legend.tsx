/**
 * Chart legends as plain HTML beside the plot. recharts' own legend measures itself in the DOM after
 * the chart is drawn and then lays the whole chart out again; ours costs nothing to draw.
 */
import { assertNever } from '../../../../../shared/contract/result';

export type LegendMark = 'line' | 'dashed' | 'dot' | 'triangle' | 'bar' | 'band';

/** A marker on a line's points (the dose chart: each drug its own), drawn the same in the legend. */
export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

/** A marker of `shape` centred on (x, y), `size` its half-width. */
export function MarkerPath({ shape, x, y, size, stroke, fill }: { shape: MarkerShape; x: number; y: number; size: number; stroke: string; fill: string }) {
  const s = size;
  switch (shape) {
    case 'circle':
      return <circle className="rc-marker" data-shape={shape} cx={x} cy={y} r={s} fill={fill} stroke={stroke} strokeWidth={1.5} />;
    case 'square':
      return <rect className="rc-marker" data-shape={shape} x={x - s} y={y - s} width={2 * s} height={2 * s} fill={fill} stroke={stroke} strokeWidth={1.5} />;
    case 'triangle':
      return <path className="rc-marker" data-shape={shape} d={`M${x},${y - s - 1}L${x + s + 1},${y + s}L${x - s - 1},${y + s}Z`} fill={fill} stroke={stroke} strokeWidth={1.5} />;
    case 'diamond':
      return <path className="rc-marker" data-shape={shape} d={`M${x},${y - s - 1}L${x + s + 1},${y}L${x},${y + s + 1}L${x - s - 1},${y}Z`} fill={fill} stroke={stroke} strokeWidth={1.5} />;
  }
  return assertNever(shape, 'marker shape');
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly mark: LegendMark;
  /** An SVG dash pattern for a line (several drugs on one axis). */
  readonly dash?: string | undefined;
  /** A marker drawn on the line (its points). */
  readonly marker?: MarkerShape | undefined;
}

function Swatch({ mark, color, dash, marker }: { mark: LegendMark; color: string; dash?: string | undefined; marker?: MarkerShape | undefined }) {
  const shape = (() => {
    switch (mark) {
      case 'line':
        return (
          <>
            <line x1={1} x2={29} y1={6} y2={6} stroke={color} strokeWidth={2} strokeDasharray={dash} />
            {marker ? <MarkerPath shape={marker} x={15} y={6} size={3.5} stroke={color} fill="transparent" /> : null}
          </>
        );
      case 'dashed':
        return <line x1={1} x2={23} y1={6} y2={6} stroke={color} strokeWidth={2} strokeDasharray="6 4" />;
      case 'dot':
        return <circle cx={12} cy={6} r={4} fill={color} />;
      case 'triangle':
        return <path d="M12,1L17,11L7,11Z" fill={color} />;
      case 'bar':
        return <rect x={6} y={1} width={12} height={10} fill={color} />;
      case 'band':
        return <rect x={1} y={2} width={22} height={8} fill={color} fillOpacity={0.3} />;
    }
    return assertNever(mark, 'legend mark');
  })();
  return (
    <svg width={marker ? 30 : 24} height={12} aria-hidden="true" focusable="false">
      {shape}
    </svg>
  );
}

/** The legend of one chart. */
export function ChartLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="rc-legend">
      {items.map((i) => (
        <li key={i.label}>
          <Swatch mark={i.mark} color={i.color} dash={i.dash} marker={i.marker} /> {i.label}
        </li>
      ))}
    </ul>
  );
}
