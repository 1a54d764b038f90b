import { memo, useId, useMemo } from 'react';
import { CartesianGrid, ComposedChart, Customized, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import { downsample } from '../../../../../shared/domain/chart';
import type { Refill } from '../../../../../shared/contract/record';
import { discrepancy, formatDate, mL, mLPerDay } from '../../../format';
import { AxisTitle, dayLabel, Decorations, HLine, numberLabel, plainTick, pumpBoundaries, VLine, yearTicks, type PlotFrame } from './common';
import { useHovered, type ChartColors } from './hooks';
import { ChartLegend, type LegendItem } from './legend';
import { windowLevel, type PumpSeries } from './series';

const HEIGHT = 300;
/** Projections further than this after today are cut at the edge of the chart. */
const MAX_PROJECTION_SHOWN_DAYS = 730;
/** More dose changes than this in the range: unlabelled markers (the value on hover). */
const MAX_LABELLED_DOSE_CHANGES = 8;
/** A dose-change label closer than this to the previous one is left to its hover text. */
const MIN_LABEL_GAP_PX = 72;

/**
 * The measured residuals as plain SVG in the chart's coordinates: a dot each, a triangle when the
 * discrepancy was flagged (drawn last, on top). Not a recharts series: each series is a layout
 * pass of the whole chart, and its symbols are images without a name to a screen reader (the
 * chart's summary and the list below it carry the residuals). The chart's tooltip shows a
 * residual's check on its day.
 */
function ResidualMarks({ frame, residuals, colors }: { frame: PlotFrame; residuals: readonly ResidualDatum[]; colors: ChartColors }) {
  const marks = [];
  for (const r of [...residuals.filter((m) => !m.flagged), ...residuals.filter((m) => m.flagged)]) {
    const cx = frame.x(r.day);
    const cy = frame.y(r.residualMl);
    if (!(cx >= frame.left - 0.5 && cx <= frame.right + 0.5 && cy >= frame.top - 0.5 && cy <= frame.bottom + 0.5)) continue;
    marks.push(
      r.flagged ? (
        <path key={`${r.serial}-${r.day}`} className="rc-residual" data-flagged="true" d={`M${cx},${cy - 6}L${cx + 5.5},${cy + 4}L${cx - 5.5},${cy + 4}Z`} fill={colors.danger} />
      ) : (
        <circle key={`${r.serial}-${r.day}`} className="rc-residual" data-flagged="false" cx={cx} cy={cy} r={3.5} fill={colors.fg} />
      ),
    );
  }
  return <g className="rc-residuals">{marks}</g>;
}

interface Point {
  day: number;
  ml: number;
  levelUl: number;
}
interface ResidualDatum extends Point {
  /** Its own data key: an item tooltip finds its series by data key, and the lines use `ml`. */
  residualMl: number;
  date: string;
  serial: string;
  withdrawnUl: number;
  expectedUl: number | null;
  discrepancyUl: number | null;
  flagged: boolean;
}

/**
 * The tooltip of the day under the pointer (`label`, the epoch day): the residual measured that day
 * if there is one, else that day's point of the line it is on. The payload recharts hands over
 * holds each series' point at one index, which in series of different days can be another day's,
 * so it is only used when its day is the label's.
 */
function residualTooltip(residualOn: ReadonlyMap<number, ResidualDatum>) {
  return function ResidualTooltip({ active, payload, label }: { active?: boolean; payload?: readonly { payload?: unknown; name?: unknown }[]; label?: unknown }) {
    if (!active || !payload || payload.length === 0) return null;
    const day = typeof label === 'number' ? label : (payload[0]?.payload as Point | undefined)?.day;
    if (day === undefined) return null;
    return <DayTooltip day={day} datum={residualOn.get(day)} payload={payload} />;
  };
}

function DayTooltip({ day, datum, payload }: { day: number; datum: ResidualDatum | undefined; payload: readonly { payload?: unknown; name?: unknown }[] }) {
  if (datum) {
    return (
      <div className="rc-tooltip">
        <strong>{formatDate(datum.date)}</strong> ({datum.serial})
        <br />
        Withdrawn {mL(datum.withdrawnUl)}
        <br />
        Expected {mL(datum.expectedUl)}
        <br />
        Discrepancy: {discrepancy(datum.discrepancyUl)}
        {datum.flagged ? (
          <>
            <br />
            <span className="rc-flag">Flagged</span>
          </>
        ) : null}
      </div>
    );
  }
  const item = payload.find((p) => (p.payload as Point | undefined)?.day === day);
  const first = item?.payload as Point | undefined;
  if (!first) return null;
  return (
    <div className="rc-tooltip">
      <strong>{dayLabel(first.day)}</strong>
      <br />
      {String(item?.name ?? 'Level')}: {mL(first.levelUl)}
    </div>
  );
}

/**
 * The estimated level from `from` (the range all charts follow) to today, and the projection ahead.
 * Each pump's level is computed from the refill before `from` only, and thinned to the pixels the
 * plot has before recharts sees it.
 */
export const ReservoirLevelChart = memo(function ReservoirLevelChart({ pumps, today, from, width, colors, refillCount }: { pumps: PumpSeries[]; today: CalendarDate; from: number; width: number; colors: ChartColors; refillCount: number }) {
  const titleId = useId();
  const [hovered, hover] = useHovered();
  const todayDay = toEpochDay(today);
  const plotWidth = Math.max(100, width - 90);
  // Only the pumps that reach into the window, from the refill before its start.
  const windows = useMemo(() => pumps.map((p) => ({ p, ...(p.endDay >= from ? windowLevel(p, from) : { level: null, error: null }) })), [pumps, from]);
  const lastProjection = Math.max(todayDay, ...windows.flatMap((w) => w.level?.projection.map((q) => q.day) ?? []));
  const to = Math.min(lastProjection, todayDay + MAX_PROJECTION_SHOWN_DAYS);

  const series = useMemo(() => {
    return windows.map(({ p, level }) => {
      const levels = level?.levels ?? [];
      // The visible part plus one point either side, thinned to what the width can show.
      let lo = levels.findIndex((l) => l.day >= from);
      if (lo === -1) lo = levels.length;
      const visible = levels.slice(Math.max(0, lo - 1));
      const share = Math.max(0.05, Math.min(1, (Math.min(p.endDay, to) - Math.max(p.startDay, from)) / Math.max(1, to - from)));
      const thinned = downsample(visible, Math.max(16, Math.round(plotWidth * share)));
      const stored = new Map<string, Refill>();
      for (const f of p.history.refills) if (f.withdrawnUl !== null) stored.set(`${f.date}|${f.withdrawnUl}`, f);
      const residuals: ResidualDatum[] = (level?.residuals ?? [])
        .filter((r) => r.day >= from)
        .map((r) => {
          const f = stored.get(`${r.date}|${r.withdrawnUl}`);
          return {
            day: r.day,
            ml: r.withdrawnUl / 1000,
            residualMl: r.withdrawnUl / 1000,
            levelUl: r.withdrawnUl,
            date: r.date,
            serial: p.history.pump.serial,
            withdrawnUl: r.withdrawnUl,
            expectedUl: f?.expectedResidualUl ?? r.expectedUl,
            discrepancyUl: f?.discrepancyUl ?? r.discrepancyUl,
            flagged: f?.discrepancyFlag ?? r.flagged,
          };
        });
      const projection = p.history.removal ? [] : (level?.projection ?? []).map((q) => ({ day: q.day, ml: q.levelUl / 1000, levelUl: q.levelUl }));
      const doseChanges = (level?.doseChanges ?? []).filter((d) => d.day >= from && d.day <= to);
      return { p, level, levels: thinned.map((l) => ({ day: l.day, ml: l.levelUl / 1000, levelUl: l.levelUl })), residuals, projection, doseChanges };
    });
  }, [windows, from, to, plotWidth]);

  const residualOn = new Map(series.flatMap((s) => s.residuals.map((r) => [r.day, r] as const)));
  const flagged = series.flatMap((s) => s.residuals.filter((r) => r.flagged));
  const allResiduals = pumps.flatMap((p) =>
    p.history.refills.filter((f) => f.withdrawnUl !== null && f.expectedResidualUl !== null).map((f) => ({ f, serial: p.history.pump.serial, day: toEpochDay(f.date as CalendarDate) })),
  );
  // The accessible list holds what the chart shows: the residuals in the range.
  const shownResiduals = allResiduals.filter((r) => r.day >= from);
  const current = series.findLast((s) => !s.p.history.removal && s.level !== null);
  const lastLevel = current?.level?.levels.at(-1);
  const errors = windows.filter((w) => w.error !== null);
  const maxMl = Math.max(1, ...pumps.map((p) => p.history.pump.reservoirUl / 1000));
  const doseLabelCount = series.reduce((n, s) => n + s.doseChanges.length, 0);
  // Only what reaches into the range becomes a recharts element (each one costs a render pass of the chart).
  const drawn = series.filter((s) => s.levels.length > 0);
  const labelDoses = doseLabelCount <= MAX_LABELLED_DOSE_CHANGES;
  const residualMarks = series.flatMap((s) => s.residuals);
  const legend: LegendItem[] = [
    { label: 'Estimated level', color: colors.accent, mark: 'line' },
    ...(drawn.some((s) => s.projection.length > 1) ? [{ label: 'Projection', color: colors.accent, mark: 'dashed' } as const] : []),
    { label: 'Measured residual', color: colors.fg, mark: 'dot' },
    ...(flagged.length > 0 ? [{ label: 'Flagged residual', color: colors.danger, mark: 'triangle' } as const] : []),
  ];
  const summary =
    `Estimated reservoir level from ${dayLabel(from)} to ${dayLabel(to)}: ${refillCount} refills, ${shownResiduals.length} measured residuals shown of ${allResiduals.length}` +
    (lastLevel ? `, estimated level ${mL(lastLevel.levelUl)} on ${formatDate(lastLevel.date)}` : '') +
    (current?.level?.alarmDate ? `, low-reservoir alarm on ${formatDate(current.level.alarmDate)}` : '') +
    (current?.level?.emptyDate ? `, empty on ${formatDate(current.level.emptyDate)}` : '') +
    (current?.p.history.pump.status === 'off' && current.p.history.reversal ? `, therapy stopped on ${formatDate(current.p.history.reversal.date)} (the level ends there)` : '') +
    '.';

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="reservoir-level" data-refill-count={refillCount} data-residual-count={allResiduals.length}>
      <h3 id={titleId}>Reservoir level</h3>
      <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }} {...hover}>
        <ComposedChart width={width} height={HEIGHT} margin={{ top: 16, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" />
          <XAxis dataKey="day" type="number" domain={[from, to]} allowDataOverflow ticks={yearTicks(from, to)} interval={0} stroke={colors.muted} tick={plainTick(dayLabel, colors.muted)} />
          <YAxis
            type="number"
            domain={[0, Math.ceil(maxMl)]}
            interval={0}
            stroke={colors.muted}
            tick={plainTick(numberLabel(1), colors.muted)}
            width={56}
            label={<AxisTitle text="Level (mL)" fill={colors.muted} side="left" />}
          />
          {hovered ? <Tooltip content={residualTooltip(residualOn)} isAnimationActive={false} /> : null}
          <Customized
            component={<Decorations draw={(frame) => <ReservoirDecorations frame={frame} series={drawn} pumps={pumps} from={from} to={to} todayDay={todayDay} labelDoses={labelDoses} colors={colors} />} />}
          />
          {drawn.map((s) => (
            <Line
              key={`level-${s.p.history.pump.id}`}
              data={s.levels}
              dataKey="ml"
              name={pumps.length > 1 ? `Estimated level (${s.p.history.pump.serial})` : 'Estimated level'}
              type="linear"
              stroke={colors.accent}
              strokeWidth={1.5}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ))}
          {drawn.map((s) =>
            s.projection.length > 1 ? (
              <Line
                key={`proj-${s.p.history.pump.id}`}
                data={s.projection}
                dataKey="ml"
                name="Projection"
                type="linear"
                stroke={colors.accent}
                strokeDasharray="6 4"
                dot={{ r: 3, fill: colors.card, stroke: colors.accent }}
                isAnimationActive={false}
              />
            ) : null,
          )}
          <Customized component={<Decorations draw={(frame) => <ResidualMarks frame={frame} residuals={residualMarks} colors={colors} />} />} />
        </ComposedChart>
      </div>
      <ChartLegend items={legend} />
      {errors.map((w) => (
        <p key={w.p.history.pump.id} role="alert" className="banner banner-error">
          The level of pump {w.p.history.pump.serial} cannot be estimated: {w.error}
        </p>
      ))}
      <figcaption>
        Estimated level between refills (solid), projection from today to the alarm and empty dates (dashed), measured residuals (dots; flagged ones as red
        triangles), low-reservoir alarm (dashed line).
        {current?.level?.alarmDate ? ` Alarm expected on ${formatDate(current.level.alarmDate)}` : ''}
        {current?.level?.emptyDate ? `, empty on ${formatDate(current.level.emptyDate)}.` : ''}
      </figcaption>
      <ul className="visually-hidden" aria-label="Measured residuals" data-testid="residual-list">
        {shownResiduals.map(({ f, serial }) => (
          <li key={`${serial}-${f.id}`} data-testid="residual-item" data-flagged={f.discrepancyFlag === true}>
            {formatDate(f.date)} ({serial}): withdrawn {mL(f.withdrawnUl)}, expected {mL(f.expectedResidualUl)}, discrepancy {discrepancy(f.discrepancyUl)}
            {f.discrepancyFlag ? ', flagged' : ''}
          </li>
        ))}
      </ul>
    </figure>
  );
});

/**
 * The reservoir chart's reference lines: each pump's low-reservoir alarm (from its implant or the
 * range's start to its removal or the chart's end), implants and removals, dose changes (labelled
 * with the new daily volume while there are few; else unlabelled markers with the value on hover),
 * and today.
 */
function ReservoirDecorations({ frame, series, pumps, from, to, todayDay, labelDoses, colors }: {
  frame: PlotFrame;
  series: readonly { p: PumpSeries; doseChanges: readonly { day: number; dailyVolumeUl: number; date: string }[] }[];
  pumps: readonly PumpSeries[];
  from: number;
  to: number;
  todayDay: number;
  labelDoses: boolean;
  colors: ChartColors;
}) {
  // A label only where it has room: one closer than MIN_LABEL_GAP_PX to the last one is left to its hover text.
  let lastLabelPx = -Infinity;
  const doseMarkers = series
    .flatMap((s) => s.doseChanges.map((d) => ({ key: `dose-${s.p.history.pump.id}-${d.day}`, d })))
    .sort((a, b) => a.d.day - b.d.day)
    .map((m) => {
      const px = frame.x(m.d.day);
      const labelled = labelDoses && px - lastLabelPx >= MIN_LABEL_GAP_PX;
      if (labelled) lastLabelPx = px;
      return { ...m, labelled };
    });
  return (
    <>
      {series.map(({ p }) => (
        <HLine
          key={`alarm-${p.history.pump.id}`}
          frame={frame}
          y={p.history.pump.alarmUl / 1000}
          x1={Math.max(p.startDay, from)}
          x2={p.history.removal ? Math.min(p.endDay, to) : to}
          stroke={colors.warn}
          dash="6 3"
          label={{ text: `Alarm ${mL(p.history.pump.alarmUl, 1)}`, fill: colors.warn, fontSize: 11 }}
        />
      ))}
      {pumpBoundaries(frame, pumps, colors)}
      {doseMarkers.map(({ key, d, labelled }) => (
        <VLine
          key={key}
          frame={frame}
          x={d.day}
          stroke={colors.accent}
          dash="2 3"
          label={labelled ? { text: mLPerDay(d.dailyVolumeUl), position: 'insideTop', fill: colors.accent, fontSize: 10 } : undefined}
          title={`Dose change on ${formatDate(d.date)}: ${mLPerDay(d.dailyVolumeUl)}`}
        />
      ))}
      <VLine frame={frame} x={todayDay} stroke={colors.muted} label={{ text: 'Today', position: 'top', fill: colors.muted, fontSize: 11 }} />
    </>
  );
}
