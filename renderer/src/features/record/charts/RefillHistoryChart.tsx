import { useId } from 'react';
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { mL } from '../../../format';
import type { ChartColors } from './hooks';
import type { PumpSeries, VisitRow } from './series';

const HEIGHT = 280;

const signed = (ul: number | null) => (ul === null ? '—' : `${ul > 0 ? '+' : ''}${mL(ul)}`);

function VisitTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const v = active ? (payload?.[0]?.payload as VisitRow | undefined) : undefined;
  if (!v) return null;
  return (
    <div className="rc-tooltip">
      <strong>{v.date}</strong> ({v.serial})
      <br />
      Withdrawn {mL(v.withdrawnUl)}, added {mL(v.addedUl)}
      <br />
      Expected {mL(v.expectedUl)}, discrepancy {signed(v.discrepancyUl)} (threshold ±{mL(v.thresholdUl, 1)})
      {v.flagged ? (
        <>
          <br />
          <span className="rc-flag">Flagged</span>
        </>
      ) : null}
    </div>
  );
}

/** A discrepancy dot: a red diamond when flagged. */
function DiscrepancyDot(props: { cx?: number; cy?: number; payload?: VisitRow; stroke?: string; colors: ChartColors }) {
  const { cx, cy, payload, colors } = props;
  if (cx === undefined || cy === undefined || !payload || payload.discrepancyMl === null) return null;
  if (payload.flagged) {
    const s = 6;
    return <path d={`M${cx},${cy - s}L${cx + s},${cy}L${cx},${cy + s}L${cx - s},${cy}Z`} fill={colors.danger} stroke={colors.danger} />;
  }
  return <circle cx={cx} cy={cy} r={3} fill={colors.card} stroke={colors.fg} strokeWidth={1.5} />;
}

export function RefillHistoryChart({ pumps, visits, width, colors }: { pumps: PumpSeries[]; visits: VisitRow[]; width: number; colors: ChartColors }) {
  const titleId = useId();
  const measured = visits.filter((v) => v.withdrawnUl !== null && v.expectedUl !== null);
  const flagged = visits.filter((v) => v.flagged);
  const maxVolume = Math.max(1, ...visits.map((v) => Math.max(v.addedMl, v.withdrawnMl ?? 0)));
  const maxDisc = Math.max(1, ...visits.map((v) => Math.max(Math.abs(v.discrepancyMl ?? 0), v.band[1]))) * 1.2;
  const newPump = pumps.length > 1 ? pumps.slice(1).map((p) => visits.find((v) => v.serial === p.history.pump.serial)).filter((v): v is VisitRow => v !== undefined) : [];
  const interval = Math.max(0, Math.ceil(visits.length / Math.max(1, Math.floor((width - 120) / 80))) - 1);
  const summary =
    `${visits.length} refill visits from ${visits[0]?.date ?? '—'} to ${visits.at(-1)?.date ?? '—'}; ${measured.length} with a measured residual; ` +
    `${flagged.length} flagged discrepanc${flagged.length === 1 ? 'y' : 'ies'}${flagged.length ? ` (${flagged.map((v) => v.date).join(', ')})` : ''}.`;

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="refill-history" data-refill-count={visits.length} data-flagged-count={flagged.length}>
      <h3 id={titleId}>Refill history</h3>
      <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }}>
        <ComposedChart data={visits} width={width} height={HEIGHT} margin={{ top: 16, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" />
          <XAxis dataKey="date" interval={interval} stroke={colors.muted} tick={{ fill: colors.muted, fontSize: 11 }} />
          <YAxis
            yAxisId="volume"
            domain={[0, Math.ceil(maxVolume)]}
            stroke={colors.muted}
            tick={{ fill: colors.muted, fontSize: 11 }}
            width={56}
            label={{ value: 'Volume (mL)', angle: -90, position: 'insideLeft', fill: colors.muted, fontSize: 12 }}
          />
          <YAxis
            yAxisId="disc"
            orientation="right"
            domain={[-maxDisc, maxDisc]}
            tickFormatter={(v: number) => v.toFixed(1)}
            stroke={colors.muted}
            tick={{ fill: colors.muted, fontSize: 11 }}
            width={56}
            label={{ value: 'Discrepancy (mL)', angle: 90, position: 'insideRight', fill: colors.muted, fontSize: 12 }}
          />
          <Tooltip content={VisitTooltip} isAnimationActive={false} cursor={{ fill: colors.border, fillOpacity: 0.3 }} />
          <Legend wrapperStyle={{ color: colors.fg, fontSize: 12 }} />
          <Area yAxisId="disc" dataKey="band" name="Discrepancy threshold" type="stepAfter" fill={colors.warn} fillOpacity={0.15} stroke="none" isAnimationActive={false} activeDot={false} />
          <ReferenceLine yAxisId="disc" y={0} stroke={colors.muted} />
          {newPump.map((v) => (
            <ReferenceLine key={`pump-${v.key}`} yAxisId="volume" x={v.date} stroke={colors.muted} strokeWidth={2} label={{ value: `Pump ${v.serial}`, position: 'insideTopLeft', fill: colors.muted, fontSize: 11 }} />
          ))}
          <Bar yAxisId="volume" dataKey="withdrawnMl" name="Withdrawn (mL)" fill={colors.muted} maxBarSize={18} isAnimationActive={false} />
          <Bar yAxisId="volume" dataKey="addedMl" name="Added (mL)" fill={colors.accent} maxBarSize={18} isAnimationActive={false} />
          <Line
            yAxisId="disc"
            dataKey="discrepancyMl"
            name="Discrepancy (mL)"
            type="linear"
            stroke={colors.fg}
            connectNulls
            dot={(p: { cx?: number; cy?: number; payload?: VisitRow; index?: number }) => <DiscrepancyDot key={p.index} {...p} colors={colors} />}
            isAnimationActive={false}
          />
        </ComposedChart>
      </div>
      <figcaption>
        Volume withdrawn and added at each visit (bars, left axis) and the discrepancy between the measured and expected residual (line, right axis) against the
        clinic&apos;s threshold band (shaded). Flagged visits are red diamonds.
      </figcaption>
      <table className="visually-hidden" data-testid="refill-visits">
        <caption>Refill visits</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Pump</th>
            <th scope="col">Withdrawn</th>
            <th scope="col">Added</th>
            <th scope="col">Expected</th>
            <th scope="col">Discrepancy</th>
            <th scope="col">Check</th>
          </tr>
        </thead>
        <tbody>
          {visits.map((v) => (
            <tr key={v.key} data-testid="refill-visit" data-flagged={v.flagged}>
              <td>{v.date}</td>
              <td>{v.serial}</td>
              <td>{mL(v.withdrawnUl)}</td>
              <td>{mL(v.addedUl)}</td>
              <td>{mL(v.expectedUl)}</td>
              <td>{signed(v.discrepancyUl)}</td>
              <td>{v.flagged ? 'flagged' : v.discrepancyUl === null ? 'not measured' : 'within threshold'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
