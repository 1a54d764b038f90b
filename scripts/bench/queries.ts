/**
 * Main-side queries at clinic scale: the worklist as of a date, the patient search per keystroke and
 * one patient record, each against the same SQL run by the sqlite3 command-line tool (the floor).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { openStore } from '../../electron/cli/database';
import { filteredSql, probeSql } from '../../electron/services/features/patients/repository';
import { HITS_SQL, PROBE_ROWS, SPARSE_HITS, SPARSE_HITS_SQL, probeable, searchCondition, searchMode, searchParams } from '../../electron/services/features/patients/search';
import { WORKLIST_COUNTS_SQL, worklistPageSql, worklistTopCountSql } from '../../electron/services/features/record/worklist-sql';
import { addDays, type CalendarDate } from '../../shared/domain/calendar';
import { worklist } from '../../electron/services/features/record/worklist';
import { patientRecord } from '../../electron/services/features/record/service';
import { median, sqliteFloorMs, timeMedian, type Figure } from './measure';

/** What a user types into the patients search, one keystroke at a time. */
function keystrokes(word: string): string[] {
  return Array.from({ length: word.length }, (_, i) => word.slice(0, i + 1));
}

/** `floorFile`: the unencrypted clinic the sqlite3 floors read (the same file unless the run is encrypted). */
export function queryFigures(file: string, patients: number, asOf: string, floorFile = file): Figure[] {
  // Opening the database as the app does at start (its integrity check included), three times.
  const openMs = median(
    [0, 1, 2].map(() => {
      const t = process.hrtime.bigint();
      const o = openStore(file, { mustExist: true, now: () => Date.parse(`${asOf}T12:00:00Z`) });
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (!o.ok) throw new Error(o.message);
      o.value.close();
      return ms;
    }),
  );
  const opened = openStore(file, { mustExist: true, now: () => Date.parse(`${asOf}T12:00:00Z`) });
  if (!opened.ok) throw new Error(opened.message);
  const { ctx } = opened.value;
  const label = `${(patients / 1000).toFixed(0)}k patients`;
  try {
    // The worklist screen: the first page of pumps needing attention, and every count.
    const first = worklist(ctx, asOf, 14);
    const worklistMs = timeMedian(() => worklist(ctx, asOf, 14));
    // The same with every count counted afresh, as the first request after any write: a store
    // without a change stamp (as inside a transaction) is never answered from the counts' cache.
    const uncached = { ...ctx, store: Object.create(ctx.store, { changeStamp: { value: () => null } }) as typeof ctx.store };
    const uncachedMs = timeMedian(() => worklist(uncached, asOf, 14));
    const until = addDays(asOf as CalendarDate, 14);
    // The page is read in two parts (worst first: the pumps ranked empty, alarming or with a severe open event, then the rest in due order).
    const worklistFloor =
      sqliteFloorMs(floorFile, worklistTopCountSql('attention'), { asOf, until }) +
      sqliteFloorMs(floorFile, worklistPageSql('attention', 'top'), { asOf, until, limit: 100, offset: 0 }) +
      sqliteFloorMs(floorFile, worklistPageSql('attention', 'rest'), { asOf, until, limit: 100, offset: 0 }) +
      sqliteFloorMs(floorFile, WORKLIST_COUNTS_SQL, { asOf, until });

    // Words a nurse types: a family name, an MRN and a pump serial of patients in this clinic.
    const sample = ctx.store.patients.list(1)[0]!;
    const serial = ctx.store.record.pumpsOfPatient(sample.id)[0]?.serial ?? sample.mrn;
    const words = [sample.familyName.toLowerCase(), sample.mrn, serial];
    const searchTimes: number[] = [];
    const floorTimes: number[] = [];
    for (const word of words) {
      for (const q of keystrokes(word)) {
        searchTimes.push(timeMedian(() => ctx.store.patients.search({ query: q, limit: 200 }), 7, 1));
        floorTimes.push(searchFloorMs(floorFile, q));
      }
    }

    // The forms people type (issue 16, item 4): "First Last" keystroke by keystroke once the space
    // is typed, "Last, First", a birth date in ISO and as en-US writes it, a phone number (digits).
    const sampleFull = ctx.store.patients.get(sample.id)!;
    const [y, m, d] = sampleFull.birthDate.split('-');
    const phone = sampleFull.contacts.phones[0]?.number ?? '(312) 555-0100';
    const firstLast = `${sampleFull.givenName} ${sampleFull.familyName}`;
    const forms = [
      ...keystrokes(firstLast).filter((q) => q.includes(' ') && !q.endsWith(' ')),
      `${sampleFull.familyName}, ${sampleFull.givenName}`,
      sampleFull.birthDate,
      `${m}/${d}/${y}`,
      phone,
      phone.replace(/\D/g, '').slice(-7),
    ];
    const formTimes = forms.map((q) => timeMedian(() => ctx.store.patients.search({ query: q, limit: 200, dateOrder: 'mdy' }), 7, 1));

    // Opening a record: the nine longest histories, each read once on a fresh connection (nothing memoised).
    const longest = longestHistoryPatients(ctx, 9);
    const fresh = openStore(file, { mustExist: true, now: () => Date.parse(`${asOf}T12:00:00Z`) });
    if (!fresh.ok) throw new Error(fresh.message);
    const recordMs = median(
      longest.map((id) => {
        const t = process.hrtime.bigint();
        patientRecord(fresh.value.ctx, id);
        return Number(process.hrtime.bigint() - t) / 1e6;
      }),
    );
    const refillsRead = Math.max(...longest.map((id) => fresh.value.ctx.store.record.pumpsOfPatient(id).reduce((n, p) => n + fresh.value.ctx.store.record.refills(p.id).length, 0)));
    fresh.value.close();

    return [
      { name: `database opened at start (${label}, ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB; integrity_check included; median of 3)`, value: openMs, unit: 'ms' },
      {
        name: `worklist as of a date (${label}: first ${first.rows.length} of ${first.counts.attention} needing attention, and every count)`,
        value: worklistMs,
        unit: 'ms',
        floor: worklistFloor,
        max: 20,
        maxRatio: 3,
        note: 'a refresh: the counts from their cache (nothing written since the last request)',
      },
      {
        name: `worklist as of a date, the first request after a write (${label}: the page, every count counted afresh)`,
        value: uncachedMs,
        unit: 'ms',
        floor: worklistFloor,
        max: 20,
        maxRatio: 3,
      },
      {
        name: `patient search per keystroke (${label}; median of ${searchTimes.length} keystrokes)`,
        value: median(searchTimes),
        unit: 'ms',
        floor: median(floorTimes),
        max: 10,
        maxRatio: 3,
        note: `slowest keystroke ${Math.max(...searchTimes).toFixed(1)} ms (floor ${Math.max(...floorTimes).toFixed(1)} ms)`,
      },
      {
        name: `patient search by "First Last", "Last, First", birth date and phone (${label}; median of ${formTimes.length} queries)`,
        value: median(formTimes),
        unit: 'ms',
        max: 10,
        note: `slowest ${Math.max(...formTimes).toFixed(1)} ms; name, birth-date and phone-digits indexes`,
      },
      { name: `patient record data, first open (${label}; up to ${refillsRead} refills)`, value: recordMs, unit: 'ms', note: 'patients.get on a fresh connection: record, refills, timeline' },
    ];
  } finally {
    opened.value.close();
  }
}

/** Among the first 2,000 pumps (the base clinic; copies repeat it), the patients with the most refills. */
function longestHistoryPatients(ctx: Parameters<typeof worklist>[0], n: number): number[] {
  const counts = ctx.store.record
    .allPumps()
    .slice(0, 2000)
    .map((p) => ({ patientId: p.patientId, n: ctx.store.record.refills(p.id).length }))
    .sort((a, b) => b.n - a.n);
  return [...new Set(counts.map((c) => c.patientId))].slice(0, n);
}

/** The ids a statement answers, run by sqlite3 (its parameters bound as sqliteFloorMs binds them). */
function sqliteIds(file: string, sql: string, params: Record<string, string | number | null>): number[] {
  const lines = Object.entries(params).map(([k, v]) => `.param set @${k} ${v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`}`);
  const r = spawnSync('sqlite3', ['-readonly', file], { input: `${lines.join('\n')}\n${sql.trim()};\n`, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`sqlite3 failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

/**
 * The same statements the repository runs for one keystroke, run by sqlite3: for three or more
 * characters the few hits first; for a dense keystroke the probe of the first patients by name (its
 * page, when full, is the answer); else the hits up to HIT_CAP + 1; then the page.
 */
function searchFloorMs(file: string, q: string): number {
  const mode = searchMode(q);
  const params = searchParams(q);
  const filters = { status: null, indication: null, drug: null, limit: 200 };
  let ms = 0;
  let hits: number[] | null = null;
  if (mode === 'anywhere' || mode === 'prefix') {
    if (mode === 'anywhere') {
      ms += sqliteFloorMs(file, SPARSE_HITS_SQL, params, 7);
      const few = sqliteIds(file, SPARSE_HITS_SQL, params);
      if (few.length <= SPARSE_HITS) hits = few;
    }
    if (hits === null && probeable(q, undefined, filters.limit)) {
      const sql = probeSql(mode === 'anywhere' ? 'denseAnywhere' : 'densePrefix');
      const probeParams = { ...params, ...filters, scan: PROBE_ROWS };
      ms += sqliteFloorMs(file, sql, probeParams, 7);
      const page = sqliteIds(file, sql, probeParams);
      if (page.length >= filters.limit) return ms + sqliteFloorMs(file, filteredSql('ids'), { ...params, ...filters, ids: JSON.stringify(page) }, 7);
    }
    if (hits === null) {
      ms += sqliteFloorMs(file, HITS_SQL[mode], params, 7);
      hits = sqliteIds(file, HITS_SQL[mode], params);
    }
  }
  const condition = searchCondition(mode, hits);
  const ids = condition === 'ids' ? JSON.stringify(hits) : null;
  return ms + sqliteFloorMs(file, filteredSql(condition), { ...params, ids, ...filters }, 7);
}
