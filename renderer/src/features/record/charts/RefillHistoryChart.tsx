import { memo, useId } from 'react';
import { Area, Bar, CartesianGrid, ComposedChart, Line, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { discrepancy, exactML, formatDate, mL } from '../../../format';
import { AxisTitle, isoLabel, niceTicks, numberLabel, plainTick } from './common';
import { useHovered, type ChartColors } from './hooks';
import { ChartLegend } from './legend';
import type { PumpSeries, VisitRow } from './series';

const HEIGHT = 280;
/** Below this many pixels a visit, volumes are drawn as lines instead of bars (and only flagged discrepancies get a mark). */
const MIN_PX_PER_BAR_VISIT = 8;

function VisitTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const v = active ? (payload?.[0]?.payload as VisitRow | undefined) : undefined;
  if (!v) return null;
  return (
    <div className="rc-tooltip">
      <strong>{formatDate(v.date)}</strong> ({v.serial})
      <br />
      Withdrawn {mL(v.withdrawnUl)}, added {mL(v.addedUl)}
      <br />
      Expected {mL(v.expectedUl)}, {v.discrepancyUl === null ? 'no discrepancy measured' : `withdrawn ${discrepancy(v.discrepancyUl)}`} (threshold {exactML(v.thresholdUl)} either way)
      {v.flagged ? (
        <>
          <br />
          <span className="rc-flag">Flagged</span>
        </>
      ) : null}
    </div>
  );
}

/** A discrepancy dot: a red diamond when flagged; `flaggedOnly` when the visits are too dense for a dot each. */
function DiscrepancyDot(props: { cx?: number; cy?: number; payload?: VisitRow; stroke?: string; colors: ChartColors; flaggedOnly: boolean }) {
  const { cx, cy, payload, colors } = props;
  if (cx === undefined || cy === undefined || !payload || payload.discrepancyMl === null || (props.flaggedOnly && !payload.flagged)) return null;
  if (payload.flagged) {
    const s = 6;
    return <path d={`M${cx},${cy - s}L${cx + s},${cy}L${cx},${cy + s}L${cx - s},${cy}Z`} fill={colors.danger} stroke={colors.danger} />;
  }
  return <circle cx={cx} cy={cy} r={3} fill={colors.card} stroke={colors.fg} strokeWidth={1.5} />;
}

/**
 * The refill visits in the range all charts follow (`visits`; `total` in the whole record): bars of
 * the volumes withdrawn and added, or lines when the plot has fewer than 8 px a visit.
 */
export const RefillHistoryChart = memo(function RefillHistoryChart({ pumps, visits, total, width, colors }: { pumps: PumpSeries[]; visits: VisitRow[]; total: number; width: number; colors: ChartColors }) {
  const titleId = useId();
  const [hovered, hover] = useHovered();
  const dense = visits.length * MIN_PX_PER_BAR_VISIT > width - 130;
  const measured = visits.filter((v) => v.withdrawnUl !== null && v.expectedUl !== null);
  const flagged = visits.filter((v) => v.flagged);
  const volumeTicks = niceTicks(Math.max(1, ...visits.map((v) => Math.max(v.addedMl, v.withdrawnMl ?? 0))));
  // Symmetric about 0: the same round steps up and down.
  const discUp = niceTicks(Math.max(1, ...visits.map((v) => Math.max(Math.abs(v.discrepancyMl ?? 0), v.band[1]))) * 1.2, 3);
  const discTicks = [...discUp.slice(1).reverse().map((t) => -t), ...discUp];
  const maxDisc = discUp.at(-1) ?? 1;
  // The first visit of each later pump, when it is in the range.
  const newPump = pumps
    .slice(1)
    .map((p) => visits.find((v) => v.serial === p.history.pump.serial && v.day === p.firstRefillDay))
    .filter((v): v is VisitRow => v !== undefined);
  const interval = Math.max(0, Math.ceil(visits.length / Math.max(1, Math.floor((width - 120) / 80))) - 1);
  const summary =
    `${visits.length} refill visits from ${visits[0] ? formatDate(visits[0].date) : '—'} to ${visits.at(-1) ? formatDate(visits.at(-1)!.date) : '—'}${visits.length < total ? ` (of ${total})` : ''}; ${measured.length} with a measured residual; ` +
    `${flagged.length} flagged discrepanc${flagged.length === 1 ? 'y' : 'ies'}${flagged.length ? ` (${flagged.map((v) => formatDate(v.date)).join(', ')})` : ''}.`;

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="refill-history" data-refill-count={total} data-shown-count={visits.length} data-flagged-count={flagged.length}>
      <h3 id={titleId}>Refill history</h3>
      <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }} {...hover}>
        <ComposedChart data={visits} width={width} height={HEIGHT} margin={{ top: 16, right: 8, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" vertical={false} />
          <XAxis dataKey="date" interval={interval} stroke={colors.muted} tick={plainTick(isoLabel, colors.muted)} />
          <YAxis
            yAxisId="volume"
            domain={[0, volumeTicks.at(-1) ?? 1]}
            ticks={volumeTicks}
            interval={0}
            stroke={colors.muted}
            tick={plainTick(numberLabel(2), colors.muted)}
            width={56}
            label={<AxisTitle text="Volume (mL)" fill={colors.muted} side="left" />}
          />
          <YAxis
            yAxisId="disc"
            orientation="right"
            domain={[-maxDisc, maxDisc]}
            ticks={discTicks}
            interval={0}
            stroke={colors.muted}
            tick={plainTick(numberLabel(2), colors.muted)}
            width={56}
            label={<AxisTitle text="Discrepancy (mL)" fill={colors.muted} side="right" />}
          />
          {hovered ? <Tooltip content={VisitTooltip} isAnimationActive={false} cursor={{ fill: colors.border, fillOpacity: 0.3 }} /> : null}
          <Area yAxisId="disc" dataKey="band" name="Discrepancy threshold" type="stepAfter" fill={colors.warn} fillOpacity={0.15} stroke="none" isAnimationActive={false} activeDot={false} />
          <ReferenceLine yAxisId="disc" y={0} stroke={colors.muted} />
          {newPump.map((v) => (
            <ReferenceLine key={`pump-${v.key}`} yAxisId="volume" x={v.date} stroke={colors.muted} strokeWidth={2} label={{ value: `Pump ${v.serial}`, position: 'insideTopLeft', fill: colors.muted, fontSize: 11 }} />
          ))}
          {dense ? (
            <>
              <Line yAxisId="volume" dataKey="withdrawnMl" name="Withdrawn (mL)" type="linear" stroke={colors.muted} dot={false} activeDot={false} connectNulls isAnimationActive={false} />
              <Line yAxisId="volume" dataKey="addedMl" name="Added (mL)" type="linear" stroke={colors.accent} dot={false} activeDot={false} isAnimationActive={false} />
            </>
          ) : (
            <>
              <Bar yAxisId="volume" dataKey="withdrawnMl" name="Withdrawn (mL)" fill={colors.muted} maxBarSize={18} isAnimationActive={false} />
              <Bar yAxisId="volume" dataKey="addedMl" name="Added (mL)" fill={colors.accent} maxBarSize={18} isAnimationActive={false} />
            </>
          )}
          <Line
            yAxisId="disc"
            dataKey="discrepancyMl"
            name="Discrepancy (mL)"
            type="linear"
            stroke={colors.fg}
            connectNulls
            dot={(p: { cx?: number; cy?: number; payload?: VisitRow; index?: number }) => <DiscrepancyDot key={p.index} {...p} colors={colors} flaggedOnly={dense} />}
            isAnimationActive={false}
          />
        </ComposedChart>
      </div>
      <ChartLegend
        items={[
          { label: 'Discrepancy threshold', color: colors.warn, mark: 'band' },
          { label: 'Withdrawn (mL)', color: colors.muted, mark: dense ? 'line' : 'bar' },
          { label: 'Added (mL)', color: colors.accent, mark: dense ? 'line' : 'bar' },
          { label: 'Discrepancy (mL)', color: colors.fg, mark: 'line' },
        ]}
      />
      <figcaption>
        Volume withdrawn and added at each visit ({dense ? 'lines: too many visits for bars at this width' : 'bars'}, left axis) and the discrepancy between the
        measured and expected residual (line, right axis: above 0, more withdrawn than expected; below 0, less) against the clinic&apos;s threshold band
        (shaded). Flagged visits are red diamonds.
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
              <td>{formatDate(v.date)}</td>
              <td>{v.serial}</td>
              <td>{mL(v.withdrawnUl)}</td>
              <td>{mL(v.addedUl)}</td>
              <td>{mL(v.expectedUl)}</td>
              <td>{discrepancy(v.discrepancyUl)}</td>
              <td>{v.flagged ? 'flagged' : v.discrepancyUl === null ? 'not measured' : 'within threshold'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
});
