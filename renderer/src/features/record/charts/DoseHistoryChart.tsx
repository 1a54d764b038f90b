import { memo, useId, useMemo } from 'react';
import { CartesianGrid, Customized, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MassUnitName } from '../../../../../shared/contract/quantities';
import { formatNumber, mass } from '../../../format';
import { AxisTitle, dayLabel, niceTicks, Decorations, numberLabel, plainTick, pumpBoundaries, VLine, yearTicks } from './common';
import { useHovered, type ChartColors } from './hooks';
import { ChartLegend, MarkerPath, type MarkerShape } from './legend';
import type { ConcentrationMark, DoseLine, PumpSeries } from './series';

const HEIGHT = 200;
const UNITS: readonly MassUnitName[] = ['mg', 'mcg'];

/**
 * How each drug of the record is drawn: a colour of the Okabe–Ito palette (told apart with the
 * common colour-vision deficiencies; the first a little darker on paper and light themes), a dash
 * pattern and a marker at each step, so the drugs of an admixture — often at the same dose, one
 * line on top of the other — are told apart without colour too. The n-th drug of the record gets
 * the n-th style, in every unit group. Markers get smaller drug by drug: where two drugs have the
 * same dose, the later (drawn on top) sits inside the earlier's larger outline, both visible.
 */
export const DRUG_STYLES: readonly { color: string; dash: string | undefined; marker: MarkerShape; size: number }[] = [
  { color: '#0072B2', dash: undefined, marker: 'circle', size: 6.5 },
  { color: '#D55E00', dash: '8 4', marker: 'square', size: 3.5 },
  { color: '#009E73', dash: '2 3', marker: 'triangle', size: 2.5 },
  { color: '#CC79A7', dash: '10 3 2 3', marker: 'diamond', size: 2 },
  { color: '#E69F00', dash: '4 2', marker: 'circle', size: 2 },
  { color: '#56B4E9', dash: '12 4', marker: 'square', size: 2 },
];

/**
 * The tooltip of the day under the pointer (`label`, an epoch day): each drug's daily dose in
 * effect that day, read from its own line. (recharts' own tooltip pairs the lines' points by their
 * index, which in lines of different days, such as two pumps', can be another day's dose.)
 */
function doseTooltip(lines: readonly DoseLine[], unit: MassUnitName, showSerial: boolean) {
  return function DoseTooltip({ active, label }: { active?: boolean; label?: unknown }) {
    if (!active || typeof label !== 'number') return null;
    const day = Math.round(label);
    const shown = lines.flatMap((l) => {
      const first = l.points[0];
      const last = l.points.at(-1);
      if (!first || !last || day < first.day || day > last.day) return [];
      const step = l.points.findLast((p) => p.day <= day) ?? first;
      return [{ key: l.key, name: showSerial ? `${l.drug} (${l.serial})` : l.drug, value: step.value }];
    });
    if (shown.length === 0) return null;
    return (
      <div className="rc-tooltip">
        <strong>{dayLabel(day)}</strong>
        {shown.map((s) => (
          <span key={s.key}>
            <br />
            {s.name}: {formatNumber(s.value, 3)} {unit}/day
          </span>
        ))}
      </div>
    );
  };
}

/** The steps of a line from `from` on, with the step in effect on `from` (drawn from outside the plot). */
function fromDay(line: DoseLine, from: number): DoseLine {
  const first = line.points.findIndex((p) => p.day >= from);
  const start = first === -1 ? line.points.length - 1 : Math.max(0, first - 1);
  return { ...line, points: line.points.slice(start) };
}

/** A marker at each step of a drug's line (not at the line's end: that is today, not a change). */
function stepMarker(shape: MarkerShape, size: number, color: string, card: string, lastDay: number | undefined) {
  return function StepMarker(p: { cx?: number; cy?: number; index?: number; payload?: { day: number } }) {
    if (p.cx === undefined || p.cy === undefined || !p.payload || p.payload.day === lastDay) return <g key={p.index} />;
    return <MarkerPath key={p.index} shape={shape} x={p.cx} y={p.cy} size={size} stroke={color} fill={size > 4 ? 'none' : card} />;
  };
}

/**
 * The daily dose of each drug from `from` (the range all charts follow) past today to `to` (the next
 * refill due, at least 4 weeks ahead), one chart per mass unit: mg and mcg never share an axis. The
 * dose in effect reaches today (the dashed line); the days after it are left blank.
 */
export const DoseHistoryChart = memo(function DoseHistoryChart({
  pumps,
  lines: allLines,
  marks: allMarks,
  from: rangeFrom,
  to,
  today,
  width,
  colors,
}: {
  pumps: PumpSeries[];
  lines: DoseLine[];
  marks: ConcentrationMark[];
  from: number;
  to: number;
  today: number;
  width: number;
  colors: ChartColors;
}) {
  const titleId = useId();
  const [hovered, hover] = useHovered();
  const drugs = [...new Set(allLines.map((l) => l.drug))];
  const styleOf = (drug: string) => DRUG_STYLES[Math.max(0, drugs.indexOf(drug)) % DRUG_STYLES.length]!;
  const colorOf = (drug: string) => styleOf(drug).color;
  const from = Math.max(rangeFrom, Math.min(...pumps.map((p) => p.startDay)));
  const lines = useMemo(() => allLines.map((l) => fromDay(l, from)).filter((l) => (l.points.at(-1)?.day ?? -Infinity) >= from), [allLines, from]);
  const marks = allMarks.filter((m) => m.day >= from);
  const ticks = yearTicks(from, to);
  const latest = drugs.map((drug) => {
    const last = allLines.filter((l) => l.drug === drug).at(-1);
    const point = last?.points.at(-1);
    return last && point ? `${drug} ${mass(point.ng, last.unit, '/day')}` : drug;
  });

  return (
    <figure className="rc-figure" aria-labelledby={titleId} data-chart="dose-history">
      <h3 id={titleId}>Dose history</h3>
      {UNITS.filter((u) => lines.some((l) => l.unit === u)).map((unit) => {
        const group = lines.filter((l) => l.unit === unit);
        const groupDrugs = [...new Set(group.map((l) => l.drug))];
        const groupMarks = marks.filter((m) => m.unit === unit);
        const max = Math.max(0, ...group.flatMap((l) => l.points.map((p) => p.value)));
        const doseTicks = niceTicks(max * 1.15);
        const summary = `Daily dose in ${unit}/day of ${groupDrugs.join(', ')} from ${dayLabel(from)} to ${dayLabel(to)}; latest: ${group
          .map((l) => `${l.drug} ${mass(l.points.at(-1)?.ng ?? 0, l.unit, '/day')}`)
          .filter((s, i, a) => a.indexOf(s) === i)
          .join(', ')}; ${groupMarks.length} concentration change${groupMarks.length === 1 ? '' : 's'}.`;
        return (
          <div key={unit} className="rc-dose-group" data-unit={unit}>
            <h4 className="rc-unit">
              {groupDrugs.join(', ')} in {unit}/day
            </h4>
            <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }} {...hover}>
              <LineChart width={width} height={HEIGHT} margin={{ top: 16, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
                <CartesianGrid stroke={colors.border} strokeDasharray="2 4" />
                <XAxis dataKey="day" type="number" domain={[from, to]} allowDataOverflow ticks={ticks} interval={0} stroke={colors.muted} tick={plainTick(dayLabel, colors.muted)} />
                <YAxis
                  type="number"
                  domain={[0, doseTicks.at(-1) ?? 1]}
                  ticks={doseTicks}
                  interval={0}
                  stroke={colors.muted}
                  tick={plainTick(numberLabel(3), colors.muted)}
                  width={56}
                  label={<AxisTitle text={`Dose (${unit}/day)`} fill={colors.muted} side="left" />}
                />
                {hovered ? (
                  <Tooltip isAnimationActive={false} content={doseTooltip(group, unit, pumps.length > 1)} />
                ) : null}
                <Customized
                  component={
                    <Decorations
                      draw={(frame) => (
                        <>
                          {pumpBoundaries(frame, pumps, colors, false)}
                          <VLine frame={frame} x={today} stroke={colors.fg} dash="4 3" label={{ text: 'Today', position: 'insideTopRight', fill: colors.fg, fontSize: 11 }} />
                          {groupMarks.map((m) => (
                            <VLine
                              key={`conc-${m.drug}-${m.day}`}
                              frame={frame}
                              x={m.day}
                              stroke={colorOf(m.drug)}
                              dash="3 3"
                              label={groupMarks.length <= 6 ? { text: `${m.drug} ${mass(m.concentrationNgPerMl, m.unit, '/mL')}`, position: 'insideTopLeft', fill: colorOf(m.drug), fontSize: 10 } : undefined}
                              title={`${m.drug} concentration from ${dayLabel(m.day)}: ${mass(m.concentrationNgPerMl, m.unit, '/mL')}`}
                            />
                          ))}
                        </>
                      )}
                    />
                  }
                />
                {group.map((l) => (
                  <Line
                    key={l.key}
                    data={l.points}
                    dataKey="value"
                    name={l.drug}
                    type="stepAfter"
                    stroke={colorOf(l.drug)}
                    strokeWidth={2}
                    strokeDasharray={styleOf(l.drug).dash}
                    dot={l.points.length <= 60 ? stepMarker(styleOf(l.drug).marker, styleOf(l.drug).size, colorOf(l.drug), colors.card, l.points.at(-1)?.day) : false}
                    activeDot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </div>
            <ChartLegend items={groupDrugs.map((drug) => ({ label: `${drug} (${unit}/day)`, color: colorOf(drug), mark: 'line' as const, dash: styleOf(drug).dash, marker: styleOf(drug).marker }))} />
          </div>
        );
      })}
      <figcaption>
        Daily dose of each drug over time (steps at refills and dose changes, each marked), each in its own unit, each drug with its own colour, dash and marker; thin
        dashed vertical lines mark concentration changes, the black dashed line today. Latest:{' '}
        {latest.join(', ')}.
      </figcaption>
    </figure>
  );
});
