import { useId } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { MassUnitName } from '../../../../../shared/contract/quantities';
import { mass } from '../../../format';
import { dayLabel, pumpBoundaries, yearTicks } from './common';
import type { ChartColors } from './hooks';
import type { ConcentrationMark, DoseLine, PumpSeries } from './series';

const HEIGHT = 200;
/** Drugs at the same dose overlap: each drug of a group gets its own dash pattern too. */
const DASHES = [undefined, '8 4', '2 3', '10 3 2 3'];
const UNITS: readonly MassUnitName[] = ['mg', 'mcg'];

function drugPalette(colors: ChartColors): string[] {
  return [colors.accent, colors.warn, colors.fg, colors.danger, colors.muted];
}

export function DoseHistoryChart({ pumps, lines, marks, width, colors }: { pumps: PumpSeries[]; lines: DoseLine[]; marks: ConcentrationMark[]; width: number; colors: ChartColors }) {
  const titleId = useId();
  const drugs = [...new Set(lines.map((l) => l.drug))];
  const palette = drugPalette(colors);
  const colorOf = (drug: string) => palette[drugs.indexOf(drug) % palette.length] ?? colors.accent;
  const from = Math.min(...pumps.map((p) => p.startDay));
  const to = Math.max(...pumps.map((p) => p.endDay));
  const ticks = yearTicks(from, to);
  const latest = drugs.map((drug) => {
    const last = lines.filter((l) => l.drug === drug).at(-1);
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
        const summary = `Daily dose in ${unit}/day of ${groupDrugs.join(', ')} from ${dayLabel(from)} to ${dayLabel(to)}; latest: ${group
          .map((l) => `${l.drug} ${mass(l.points.at(-1)?.ng ?? 0, l.unit, '/day')}`)
          .filter((s, i, a) => a.indexOf(s) === i)
          .join(', ')}; ${groupMarks.length} concentration change${groupMarks.length === 1 ? '' : 's'}.`;
        return (
          <div key={unit} className="rc-dose-group" data-unit={unit}>
            <h4 className="rc-unit">
              {groupDrugs.join(', ')} in {unit}/day
            </h4>
            <div role="img" aria-label={summary} className="rc-plot" style={{ height: HEIGHT }}>
              <LineChart width={width} height={HEIGHT} margin={{ top: 16, right: 16, bottom: 8, left: 8 }} accessibilityLayer={false}>
                <CartesianGrid stroke={colors.border} strokeDasharray="2 4" />
                <XAxis dataKey="day" type="number" domain={[from, to]} ticks={ticks} tickFormatter={dayLabel} stroke={colors.muted} tick={{ fill: colors.muted, fontSize: 11 }} />
                <YAxis
                  type="number"
                  domain={[0, max > 0 ? Math.ceil(max * 1.15 * 100) / 100 : 1]}
                  stroke={colors.muted}
                  tick={{ fill: colors.muted, fontSize: 11 }}
                  width={56}
                  label={{ value: `Dose (${unit}/day)`, angle: -90, position: 'insideLeft', fill: colors.muted, fontSize: 12 }}
                />
                <Tooltip
                  isAnimationActive={false}
                  labelFormatter={dayLabel}
                  formatter={(value: unknown, name: unknown) => [`${String(value)} ${unit}/day`, String(name)]}
                  contentStyle={{ background: colors.card, borderColor: colors.border, color: colors.fg }}
                />
                <Legend wrapperStyle={{ color: colors.fg, fontSize: 12 }} />
                {pumpBoundaries(pumps, colors, from, to, false)}
                {groupMarks.map((m) => (
                  <ReferenceLine
                    key={`conc-${m.drug}-${m.day}`}
                    x={m.day}
                    stroke={colorOf(m.drug)}
                    strokeDasharray="3 3"
                    label={groupMarks.length <= 6 ? { value: `${m.drug} ${mass(m.concentrationNgPerMl, m.unit, '/mL')}`, position: 'insideTopLeft', fill: colorOf(m.drug), fontSize: 10 } : undefined}
                  />
                ))}
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
                    legendType={group.find((g) => g.drug === l.drug) === l ? 'line' : 'none'}
                    isAnimationActive={false}
                  />
                ))}
              </LineChart>
            </div>
          </div>
        );
      })}
      <figcaption>
        Daily dose of each drug over time (steps at refills and dose changes), each in its own unit; dashed vertical lines mark concentration changes. Latest:{' '}
        {latest.join(', ')}.
      </figcaption>
    </figure>
  );
}
