import { memo, useId, useMemo } from 'react';
import { CartesianGrid, Customized, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MassUnitName } from '../../../../../shared/contract/quantities';
import { formatNumber, mass } from '../../../format';
import { AxisTitle, dayLabel, niceTicks, Decorations, numberLabel, plainTick, pumpBoundaries, VLine, yearTicks } from './common';
import { useHovered, type ChartColors } from './hooks';
import { ChartLegend } from './legend';
import type { ConcentrationMark, DoseLine, PumpSeries } from './series';

const HEIGHT = 200;
/** Drugs at the same dose overlap: each drug of a group gets its own dash pattern too. */
const DASHES = [undefined, '8 4', '2 3', '10 3 2 3'];
const UNITS: readonly MassUnitName[] = ['mg', 'mcg'];

function drugPalette(colors: ChartColors): string[] {
  return [colors.accent, colors.warn, colors.fg, colors.danger, colors.muted];
}

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

/**
 * The daily dose of each drug from `from` (the range all charts follow) to today, one chart per
 * mass unit: mg and mcg never share an axis.
 */
export const DoseHistoryChart = memo(function DoseHistoryChart({ pumps, lines: allLines, marks: allMarks, from: rangeFrom, width, colors }: { pumps: PumpSeries[]; lines: DoseLine[]; marks: ConcentrationMark[]; from: number; width: number; colors: ChartColors }) {
  const titleId = useId();
  const [hovered, hover] = useHovered();
  const drugs = [...new Set(allLines.map((l) => l.drug))];
  const palette = drugPalette(colors);
  const colorOf = (drug: string) => palette[drugs.indexOf(drug) % palette.length] ?? colors.accent;
  const from = Math.max(rangeFrom, Math.min(...pumps.map((p) => p.startDay)));
  const to = Math.max(...pumps.map((p) => p.endDay));
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
                    strokeDasharray={DASHES[groupDrugs.indexOf(l.drug) % DASHES.length]}
                    dot={false}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </div>
            <ChartLegend items={groupDrugs.map((drug) => ({ label: drug, color: colorOf(drug), mark: 'line' as const, dash: DASHES[groupDrugs.indexOf(drug) % DASHES.length] }))} />
          </div>
        );
      })}
      <figcaption>
        Daily dose of each drug over time (steps at refills and dose changes), each in its own unit; dashed vertical lines mark concentration changes. Latest:{' '}
        {latest.join(', ')}.
      </figcaption>
    </figure>
  );
});
