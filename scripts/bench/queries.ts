/**
 * Main-side queries at clinic scale: the worklist as of a date, the patient search per keystroke and
 * one patient record, each against the same SQL run by the sqlite3 command-line tool (the floor).
 */
import { openStore } from '../../electron/cli/database';
import { FILTERED_SQL } from '../../electron/services/features/patients/repository';
import { WORKLIST_SQL } from '../../electron/services/features/record/repository';
import { worklist } from '../../electron/services/features/record/worklist';
import { patientRecord } from '../../electron/services/features/record/service';
import { median, sqliteFloorMs, timeMedian, type Figure } from './measure';

/** What a user types into the patients search, one keystroke at a time. */
function keystrokes(word: string): string[] {
  return Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1));
}

export function queryFigures(file: string, patients: number, asOf: string): Figure[] {
  const opened = openStore(file, { mustExist: true, now: () => Date.parse(`${asOf}T12:00:00Z`) });
  if (!opened.ok) throw new Error(opened.message);
  const { ctx } = opened.value;
  const label = `${(patients / 1000).toFixed(0)}k patients`;
  try {
    const rows = worklist(ctx, asOf, 14).rows.length;
    const worklistMs = timeMedian(() => worklist(ctx, asOf, 14));
    const worklistFloor = sqliteFloorMs(file, WORKLIST_SQL);

    // Words a nurse types: a family name, an MRN and a pump serial of patients in this clinic.
    const sample = ctx.store.patients.list(1)[0]!;
    const serial = ctx.store.record.pumpsOfPatient(sample.id)[0]?.serial ?? sample.mrn;
    const words = [sample.familyName.toLowerCase(), sample.mrn, serial];
    const searchTimes: number[] = [];
    const floorTimes: number[] = [];
    for (const word of words) {
      for (const q of keystrokes(word)) {
        searchTimes.push(timeMedian(() => ctx.store.patients.search({ query: q, limit: 200 }), 7, 1));
        floorTimes.push(
          sqliteFloorMs(file, FILTERED_SQL, { q: `%${q}%`, status: null, indication: null, drug: null, limit: 200 }, 7),
        );
      }
    }

    // The record with the longest history in the clinic.
    const longest = longestHistoryPatient(ctx) ?? sample.id;
    const recordMs = timeMedian(() => patientRecord(ctx, longest), 9, 2);

    return [
      { name: `worklist as of a date (${label}, ${rows} pumps listed)`, value: worklistMs, unit: 'ms', floor: worklistFloor, max: 20, maxRatio: 3 },
      {
        name: `patient search per keystroke (${label}; median of ${searchTimes.length} keystrokes)`,
        value: median(searchTimes),
        unit: 'ms',
        floor: median(floorTimes),
        max: 10,
        maxRatio: 3,
        note: `slowest keystroke ${Math.max(...searchTimes).toFixed(1)} ms (floor ${Math.max(...floorTimes).toFixed(1)} ms)`,
      },
      { name: `patient record data, longest history (${label})`, value: recordMs, unit: 'ms', note: 'patients.get: record, refills, timeline' },
    ];
  } finally {
    opened.value.close();
  }
}

/** Among the first 2,000 pumps (the base clinic; copies repeat it), the patient with the most refills. */
function longestHistoryPatient(ctx: Parameters<typeof worklist>[0]): number | null {
  const pumps = ctx.store.record.allPumps();
  let best: { patientId: number; n: number } | null = null;
  for (const p of pumps.slice(0, 2000)) {
    const n = ctx.store.record.refills(p.id).length;
    if (!best || n > best.n) best = { patientId: p.patientId, n };
  }
  return best?.patientId ?? null;
}
