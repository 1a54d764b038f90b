/**
 * Chart legends as plain HTML beside the plot. recharts' own legend measures itself in the DOM after
 * the chart is drawn and then lays the whole chart out again; ours costs nothing to draw.
 */
import { assertNever } from '../../../../../shared/contract/result';

export type LegendMark = 'line' | 'dashed' | 'dot' | 'triangle' | 'bar' | 'band';

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly mark: LegendMark;
  /** An SVG dash pattern for a line (several drugs on one axis). */
  readonly dash?: string | undefined;
}

function Swatch({ mark, color, dash }: { mark: LegendMark; color: string; dash?: string | undefined }) {
  const shape = (() => {
    switch (mark) {
      case 'line':
        return <line x1={1} x2={23} y1={6} y2={6} stroke={color} strokeWidth={2} strokeDasharray={dash} />;
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
    <svg width={24} height={12} aria-hidden="true" focusable="false">
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
          <Swatch mark={i.mark} color={i.color} dash={i.dash} /> {i.label}
        </li>
      ))}
    </ul>
  );
}
