import { memo, useId } from 'react';
import { CartesianGrid, ComposedChart, Customized, Line, XAxis, YAxis } from 'recharts';
import { discrepancy, exactML, formatDate, mL } from '../../../format';
import { AxisTitle, Decorations, dayLabel, niceTicks, numberLabel, plainTick, VLine, yearTicks, type PlotFrame } from './common';
import type { ChartColors } from './hooks';
import { ChartLegend } from './legend';
import { barWidthPx, type PumpSeries, type VisitRow } from './series';

const VOLUME_HEIGHT = 240;
/** The discrepancy has its own small chart below the volumes: its own axis, never across the mL of volumes. */
const DISCREPANCY_HEIGHT = 150;
const MARGIN = { top: 16, right: 16, bottom: 8, left: 8 };
const Y_AXIS_WIDTH = 56;

/** A visit in words, for the hover title of its bars and marks. */
function visitTitle(v: VisitRow): string {
  const check = v.flagged ? ' — flagged' : '';
  const disc = v.discrepancyUl === null ? 'no discrepancy measured' : `withdrawn ${discrepancy(v.discrepancyUl, v.discrepancyPct)}`;
  return `${formatDate(v.date)} (${v.serial}): withdrawn ${mL(v.withdrawnUl)}, added ${mL(v.addedUl)}; expected ${mL(v.expectedUl)}, ${disc} (threshold ${exactML(v.thresholdUl)} either way)${check}`;
}

/** A discrepancy dot: a red diamond when flagged; `flaggedOnly` when the visits are too dense for a dot each. */
function DiscrepancyDot(props: { cx?: number; cy?: number; payload?: VisitRow; colors: ChartColors; flaggedOnly: boolean }) {
  const { cx, cy, payload, colors } = props;
  if (cx === undefined || cy === undefined || !payload || payload.discrepancyMl === null || (props.flaggedOnly && !payload.flagged)) return null;
  const title = <title>{visitTitle(payload)}</title>;
  if (payload.flagged) {
    const s = 6;
    return (
      <path className="rc-disc-mark" data-flagged="true" d={`M${cx},${cy - s}L${cx + s},${cy}L${cx},${cy + s}L${cx - s},${cy}Z`} fill={colors.danger} stroke={colors.danger}>
        {title}
      </path>
    );
  }
  return (
    <circle className="rc-disc-mark" data-flagged="false" cx={cx} cy={cy} r={3} fill={colors.card} stroke={colors.fg} strokeWidth={1.5}>
      {title}
    </circle>
  );
}

/** Each visit's two bars (withdrawn, added) centred on its own date. */
function VolumeBars({ frame, visits, barPx, colors }: { frame: PlotFrame; visits: readonly VisitRow[]; barPx: number; colors: ChartColors }) {
  const y0 = frame.y(0);
  return (
    <>
      {visits.map((v) => {
        const cx = frame.x(v.day);
        if (!Number.isFinite(cx) || cx < frame.left - barPx || cx > frame.right + barPx) return null;
        const bar = (ml: number | null, x: number, fill: string, kind: string) => {
          if (ml === null) return null;
          const top = frame.y(ml);
          return <rect className="rc-bar" data-kind={kind} x={x} y={Math.min(top, y0)} width={barPx} height={Math.abs(y0 - top)} fill={fill} />;
        };
        return (
          <g key={v.key} className="rc-visit" data-date={v.date} data-x={Math.round(cx)}>
            <title>{visitTitle(v)}</title>
            {bar(v.withdrawnMl, cx - barPx, colors.muted, 'withdrawn')}
            {bar(v.addedMl, cx, colors.accent, 'added')}
          </g>
        );
      })}
    </>
  );
}

/**
 * The refill visits in the range all charts follow (`visits`; `total` in the whole record) on a time
 * axis from `from` to `to` (epoch days: each visit at its own date, one visit too): bars of the
 * volumes withdrawn and added (lines when the visits are too close for bars), and below, on its own
 * axis, the discrepancy between the measured and the expected residual against the threshold band.
 */
export const RefillHistoryChart = memo(function RefillHistoryChart({
  pumps,
  visits,
  total,
  from: rangeFrom,
  to,
  today,
  width,
  colors,
}: {
  pumps: PumpSeries[];
  visits: VisitRow[];
  total: number;
  from: number;
  to: number;
  today: number;
  width: number;
  colors: ChartColors;
}) {
  const titleId = useId();
  // A little room before the first day, so a visit on it is drawn whole.
  const from = rangeFrom - Math.max(3, Math.ceil((to - rangeFrom) * 0.02));
  const plotWidth = Math.max(50, width - MARGIN.left - MARGIN.right - Y_AXIS_WIDTH);
  const pxPerDay = plotWidth / Math.max(1, to - from);
  const barPx = barWidthPx(
    visits.map((v) => v.day),
    pxPerDay,
  );
  const dense = barPx === null;
  const measured = visits.filter((v) => v.withdrawnUl !== null && v.expectedUl !== null);
  const flagged = visits.filter((v) => v.flagged);
  const volumeTicks = niceTicks(Math.max(1, ...visits.map((v) => Math.max(v.addedMl, v.withdrawnMl ?? 0))));
  // Symmetric about 0: the same round steps up and down.
  const discUp = niceTicks(Math.max(1, ...visits.map((v) => Math.max(Math.abs(v.discrepancyMl ?? 0), v.band[1]))) * 1.2, 3);
  const discTicks = [...discUp.slice(1).reverse().map((t) => -t), ...discUp];
  const maxDisc = discUp.at(-1) ?? 1;
  const ticks = yearTicks(from, to);
  // The first visit of each later pump, when it is in the range.
  const newPump = pumps
    .slice(1)
    .map((p) => visits.find((v) => v.serial === p.history.pump.serial && v.day === p.firstRefillDay))
    .filter((v): v is VisitRow => v !== undefined);
  const summary =
    `${visits.length} refill visits from ${visits[0] ? formatDate(visits[0].date) : '—'} to ${visits.at(-1) ? formatDate(visits.at(-1)!.date) : '—'}${visits.length < total ? ` (of ${total})` : ''}; ${measured.length} with a measured residual; ` +
    `${flagged.length} flagged discrepanc${flagged.length === 1 ? 'y' : 'ies'}${flagged.length ? ` (${flagged.map((v) => formatDate(v.date)).join(', ')})` : ''}.`;
  const xAxis = (
    <XAxis dataKey="day" type="number" domain={[from, to]} allowDataOverflow ticks={ticks} interval={0} stroke={colors.muted} tick={plainTick(dayLabel, colors.muted)} />
  );
  const markers = (frame: PlotFrame, labels: boolean) => (
    <>
      {newPump.map((v) => (
        <VLine key={`pump-${v.key}`} frame={frame} x={v.day} stroke={colors.muted} strokeWidth={2} label={labels ? { text: `Pump ${v.serial}`, position: 'insideTopLeft', fill: colors.muted, fontSize: 11 } : undefined} />
      ))}
      <VLine frame={frame} x={today} stroke={colors.fg} dash="4 3" label={labels ? { text: 'Today', position: 'insideTopRight', fill: colors.fg, fontSize: 11 } : undefined} />
    </>
  );
  // The threshold band of each pump over the days it ran (thresholds follow the reservoir size).
  const band = (frame: PlotFrame) =>
    pumps.map((p) => {
      const left = Math.max(frame.left, frame.x(Math.max(p.startDay, from)));
      const right = Math.min(frame.right, frame.x(p.history.removal ? p.endDay : to));
      if (!(right > left)) return null;
      const t = p.thresholdUl / 1000;
      const top = frame.y(t);
      return <rect key={`band-${p.history.pump.id}`} className="rc-band" x={left} width={right - left} y={top} height={frame.y(-t) - top} fill={colors.warn} fillOpacity={0.15} />;
    });

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="refill-history" data-refill-count={total} data-shown-count={visits.length} data-flagged-count={flagged.length}>
      <h3 id={titleId}>Refill history</h3>
      <div role="img" aria-label={summary} className="rc-plot" data-part="volumes" style={{ height: VOLUME_HEIGHT }}>
        <ComposedChart data={visits} width={width} height={VOLUME_HEIGHT} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" vertical={false} />
          {xAxis}
          <YAxis
            type="number"
            domain={[0, volumeTicks.at(-1) ?? 1]}
            ticks={volumeTicks}
            interval={0}
            stroke={colors.muted}
            tick={plainTick(numberLabel(2), colors.muted)}
            width={Y_AXIS_WIDTH}
            label={<AxisTitle text="Volume (mL)" fill={colors.muted} side="left" />}
          />
          {dense ? (
            <>
              <Line dataKey="withdrawnMl" name="Withdrawn (mL)" type="linear" stroke={colors.muted} dot={false} activeDot={false} connectNulls isAnimationActive={false} />
              <Line dataKey="addedMl" name="Added (mL)" type="linear" stroke={colors.accent} dot={false} activeDot={false} isAnimationActive={false} />
            </>
          ) : null}
          <Customized
            component={
              <Decorations
                draw={(frame) => (
                  <>
                    {markers(frame, true)}
                    {dense ? null : <VolumeBars frame={frame} visits={visits} barPx={barPx} colors={colors} />}
                  </>
                )}
              />
            }
          />
        </ComposedChart>
      </div>
      <ChartLegend
        items={[
          { label: 'Withdrawn (mL)', color: colors.muted, mark: dense ? 'line' : 'bar' },
          { label: 'Added (mL)', color: colors.accent, mark: dense ? 'line' : 'bar' },
        ]}
      />
      <h4 className="rc-unit">Discrepancy: withdrawn − expected residual (mL)</h4>
      <div role="img" aria-label={`Discrepancy of each measured residual against the threshold band; ${flagged.length} flagged.`} className="rc-plot" data-part="discrepancy" style={{ height: DISCREPANCY_HEIGHT }}>
        <ComposedChart data={measured} width={width} height={DISCREPANCY_HEIGHT} margin={MARGIN} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" vertical={false} />
          {xAxis}
          <YAxis
            type="number"
            domain={[-maxDisc, maxDisc]}
            ticks={discTicks}
            interval={0}
            stroke={colors.muted}
            tick={plainTick(numberLabel(2), colors.muted)}
            width={Y_AXIS_WIDTH}
            label={<AxisTitle text="Discrepancy (mL)" fill={colors.muted} side="left" />}
          />
          <Customized
            component={
              <Decorations
                draw={(frame) => (
                  <>
                    {band(frame)}
                    <line x1={frame.left} x2={frame.right} y1={frame.y(0)} y2={frame.y(0)} stroke={colors.muted} />
                    {markers(frame, false)}
                  </>
                )}
              />
            }
          />
          <Line
            dataKey="discrepancyMl"
            name="Discrepancy (mL)"
            type="linear"
            stroke={colors.fg}
            connectNulls
            dot={(p: { cx?: number; cy?: number; payload?: VisitRow; index?: number }) => <DiscrepancyDot key={p.index} {...p} colors={colors} flaggedOnly={dense} />}
            activeDot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </div>
      <ChartLegend
        items={[
          { label: 'Discrepancy threshold (either way)', color: colors.warn, mark: 'band' },
          { label: 'Discrepancy (mL; % of expected on hover)', color: colors.fg, mark: 'line' },
        ]}
      />
      <figcaption>
        Volume withdrawn and added at each visit, at its own date ({dense ? 'lines: too many visits for bars at this width' : 'bars'}, top), and below, on its own
        axis, the discrepancy between the measured and expected residual (above 0, more withdrawn than expected; below 0, less) against the clinic&apos;s threshold
        band (shaded). Flagged visits are red diamonds. The dashed line is today.
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
              <td>{discrepancy(v.discrepancyUl, v.discrepancyPct)}</td>
              <td>{v.flagged ? 'flagged' : v.discrepancyUl === null ? 'not measured' : 'within threshold'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
});
