import { useId, useMemo, useState } from 'react';
import { CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { toEpochDay, type CalendarDate } from '../../../../../shared/domain/calendar';
import { downsample } from '../../../../../shared/domain/chart';
import { mL } from '../../../format';
import { dayLabel, pumpBoundaries, yearTicks } from './common';
import type { ChartColors } from './hooks';
import { windowLevel, type PumpSeries } from './series';

const RANGES = [
  { key: '1y', label: '1 year', days: 365 },
  { key: '3y', label: '3 years', days: 3 * 365 },
  { key: 'all', label: 'All', days: null },
] as const;
type RangeKey = (typeof RANGES)[number]['key'];

const HEIGHT = 300;
/** Projections further than this after today are cut at the edge of the chart. */
const MAX_PROJECTION_SHOWN_DAYS = 730;

interface Point {
  day: number;
  ml: number;
}
interface ResidualDatum extends Point {
  date: string;
  serial: string;
  withdrawnUl: number;
  expectedUl: number | null;
  discrepancyUl: number | null;
  flagged: boolean;
}

function ResidualTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: unknown; name?: unknown }[] }) {
  if (!active || !payload || payload.length === 0) return null;
  const datum = payload.map((p) => p.payload).find((p): p is ResidualDatum => typeof p === 'object' && p !== null && 'withdrawnUl' in p);
  if (datum) {
    return (
      <div className="rc-tooltip">
        <strong>{datum.date}</strong> ({datum.serial})
        <br />
        Withdrawn {mL(datum.withdrawnUl)}
        <br />
        Expected {mL(datum.expectedUl)}
        <br />
        Discrepancy {datum.discrepancyUl === null ? '—' : `${datum.discrepancyUl > 0 ? '+' : ''}${mL(datum.discrepancyUl)}`}
        {datum.flagged ? (
          <>
            <br />
            <span className="rc-flag">Flagged</span>
          </>
        ) : null}
      </div>
    );
  }
  const first = payload[0]?.payload as Point | undefined;
  if (!first) return null;
  return (
    <div className="rc-tooltip">
      <strong>{dayLabel(first.day)}</strong>
      <br />
      {String(payload[0]?.name ?? 'Level')}: {first.ml.toFixed(2)} mL
    </div>
  );
}

export function ReservoirLevelChart({ pumps, today, width, colors, refillCount }: { pumps: PumpSeries[]; today: CalendarDate; width: number; colors: ChartColors; refillCount: number }) {
  const [range, setRange] = useState<RangeKey>('1y');
  const titleId = useId();
  const todayDay = toEpochDay(today);
  const firstDay = Math.min(...pumps.map((p) => (Number.isFinite(p.firstRefillDay) ? p.firstRefillDay : p.startDay)));
  const span = RANGES.find((r) => r.key === range)?.days ?? null;
  const from = span === null ? firstDay : Math.max(firstDay, todayDay - span);
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
      const residuals: ResidualDatum[] = (level?.residuals ?? [])
        .filter((r) => r.day >= from)
        .map((r) => {
          const stored = p.history.refills.find((f) => f.date === r.date && f.withdrawnUl === r.withdrawnUl);
          return {
            day: r.day,
            ml: r.withdrawnUl / 1000,
            date: r.date,
            serial: p.history.pump.serial,
            withdrawnUl: r.withdrawnUl,
            expectedUl: stored?.expectedResidualUl ?? r.expectedUl,
            discrepancyUl: stored?.discrepancyUl ?? r.discrepancyUl,
            flagged: stored?.discrepancyFlag ?? r.flagged,
          };
        });
      const projection = p.history.removal ? [] : (level?.projection ?? []).map((q) => ({ day: q.day, ml: q.levelUl / 1000 }));
      const doseChanges = (level?.doseChanges ?? []).filter((d) => d.day >= from && d.day <= to);
      return { p, level, levels: thinned.map((l) => ({ day: l.day, ml: l.levelUl / 1000 })), residuals, projection, doseChanges };
    });
  }, [windows, from, to, plotWidth]);

  const normal = series.flatMap((s) => s.residuals.filter((r) => !r.flagged));
  const flagged = series.flatMap((s) => s.residuals.filter((r) => r.flagged));
  const allResiduals = pumps.flatMap((p) =>
    p.history.refills.filter((f) => f.withdrawnUl !== null && f.expectedResidualUl !== null).map((f) => ({ f, serial: p.history.pump.serial })),
  );
  const current = series.findLast((s) => !s.p.history.removal && s.level !== null);
  const lastLevel = current?.level?.levels.at(-1);
  const errors = windows.filter((w) => w.error !== null);
  const maxMl = Math.max(1, ...pumps.map((p) => p.history.pump.reservoirUl / 1000));
  const doseLabelCount = series.reduce((n, s) => n + s.doseChanges.length, 0);
  const summary =
    `Estimated reservoir level from ${dayLabel(from)} to ${dayLabel(to)}: ${refillCount} refills, ${allResiduals.length} measured residuals` +
    (lastLevel ? `, estimated level ${mL(lastLevel.levelUl)} on ${lastLevel.date}` : '') +
    (current?.level?.alarmDate ? `, low-reservoir alarm on ${current.level.alarmDate}` : '') +
    (current?.level?.emptyDate ? `, empty on ${current.level.emptyDate}` : '') +
    '.';

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="reservoir-level" data-refill-count={refillCount} data-residual-count={allResiduals.length}>
      <div className="rc-head">
        <h3 id={titleId}>Reservoir level</h3>
        <div role="group" aria-label="Time range of the reservoir chart" className="rc-ranges">
          {RANGES.map((r) => (
            <button key={r.key} type="button" aria-pressed={range === r.key} onClick={() => setRange(r.key)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }}>
        <ComposedChart width={width} height={HEIGHT} margin={{ top: 16, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke={colors.border} strokeDasharray="2 4" />
          <XAxis dataKey="day" type="number" domain={[from, to]} allowDataOverflow ticks={yearTicks(from, to)} tickFormatter={dayLabel} stroke={colors.muted} tick={{ fill: colors.muted, fontSize: 11 }} />
          <YAxis
            type="number"
            domain={[0, Math.ceil(maxMl)]}
            stroke={colors.muted}
            tick={{ fill: colors.muted, fontSize: 11 }}
            width={56}
            label={{ value: 'Level (mL)', angle: -90, position: 'insideLeft', fill: colors.muted, fontSize: 12 }}
          />
          <Tooltip content={ResidualTooltip} isAnimationActive={false} />
          <Legend wrapperStyle={{ color: colors.fg, fontSize: 12 }} />
          {pumps.map((p) => (
            <ReferenceLine
              key={`alarm-${p.history.pump.id}`}
              segment={[
                { x: Math.max(p.startDay, from), y: p.history.pump.alarmUl / 1000 },
                { x: p.history.removal ? Math.min(p.endDay, to) : to, y: p.history.pump.alarmUl / 1000 },
              ]}
              stroke={colors.warn}
              strokeDasharray="6 3"
              ifOverflow="hidden"
              label={{ value: `Alarm ${mL(p.history.pump.alarmUl, 1)}`, position: 'insideBottomLeft', fill: colors.warn, fontSize: 11 }}
            />
          ))}
          {pumpBoundaries(pumps, colors, from, to)}
          {series.flatMap((s) =>
            s.doseChanges.map((d) => (
              <ReferenceLine
                key={`dose-${s.p.history.pump.id}-${d.day}`}
                x={d.day}
                stroke={colors.accent}
                strokeDasharray="2 3"
                ifOverflow="hidden"
                label={doseLabelCount <= 8 ? { value: `${(d.dailyVolumeUl / 1000).toFixed(3)} mL/day`, position: 'insideTop', fill: colors.accent, fontSize: 10 } : undefined}
              />
            )),
          )}
          <ReferenceLine x={todayDay} stroke={colors.muted} ifOverflow="hidden" label={{ value: 'Today', position: 'top', fill: colors.muted, fontSize: 11 }} />
          {series.map((s, i) => (
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
              legendType={i === 0 ? 'line' : 'none'}
              isAnimationActive={false}
            />
          ))}
          {series.map((s, i) =>
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
                legendType={i === series.length - 1 ? 'plainline' : 'none'}
                isAnimationActive={false}
              />
            ) : null,
          )}
          <Scatter data={normal} dataKey="ml" name="Measured residual" fill={colors.fg} shape="circle" isAnimationActive={false} />
          {flagged.length > 0 ? <Scatter data={flagged} dataKey="ml" name="Flagged residual" fill={colors.danger} shape="triangle" isAnimationActive={false} /> : null}
        </ComposedChart>
      </div>
      {errors.map((w) => (
        <p key={w.p.history.pump.id} role="alert" className="banner banner-error">
          The level of pump {w.p.history.pump.serial} cannot be estimated: {w.error}
        </p>
      ))}
      <figcaption>
        Estimated level between refills (solid), projection from today to the alarm and empty dates (dashed), measured residuals (dots; flagged ones as red
        triangles), low-reservoir alarm (dashed line).
        {current?.level?.alarmDate ? ` Alarm expected on ${current.level.alarmDate}` : ''}
        {current?.level?.emptyDate ? `, empty on ${current.level.emptyDate}.` : ''}
      </figcaption>
      <ul className="visually-hidden" aria-label="Measured residuals" data-testid="residual-list">
        {allResiduals.map(({ f, serial }) => (
          <li key={`${serial}-${f.id}`} data-testid="residual-item" data-flagged={f.discrepancyFlag === true}>
            {f.date} ({serial}): withdrawn {mL(f.withdrawnUl)}, expected {mL(f.expectedResidualUl)}, discrepancy {mL(f.discrepancyUl)}
            {f.discrepancyFlag ? ', flagged' : ''}
          </li>
        ))}
      </ul>
    </figure>
  );
}
