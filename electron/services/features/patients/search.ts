/**
 * Patient search that stays instant at 50,000 patients.
 *
 * - Three or more characters match anywhere in the MRN, family name, given name or any pump serial
 *   of the patient, through a trigram full-text index (`patient_search`, FTS5 `trigram`: SQLite
 *   answers `LIKE '%abc%'` from it). Fields are joined with U+0001, which nobody types, so a match
 *   never spans two fields.
 * - One or two characters match the start of those fields, from ordinary indexes (a substring that
 *   short matches most of the clinic and says little; a prefix is what type-ahead expects).
 * - Text with `%`, `_` or `\` is matched literally by a plain scan (rare; still correct).
 * The index is kept by triggers in the same transaction as every patient and pump write (its table,
 * triggers and indexes: migration 6, store/migrations/sqlite/0006-patient-search.ts).
 */

/** How a query is answered: which condition, and its parameters. */
export type SearchMode = 'all' | 'anywhere' | 'prefix' | 'literal';

export function searchMode(query: string | undefined): SearchMode {
  if (!query) return 'all';
  if (/[\\%_]/.test(query)) return 'literal';
  return [...query].length >= 3 ? 'anywhere' : 'prefix';
}

/**
 * Up to HIT_CAP + 1 matching patient ids, from the indexes. When there are at most HIT_CAP, the
 * list is those patients sorted by name (`ids`); when there are more, matches are dense, and walking
 * the name index testing each patient (`dense…`) reaches a page of them soonest.
 */
export const HIT_CAP = 4000;
export const HITS_SQL: Record<'anywhere' | 'prefix', string> = {
  anywhere: `SELECT rowid FROM patient_search WHERE text LIKE @q LIMIT ${HIT_CAP + 1}`,
  prefix: `SELECT id FROM (
      SELECT id FROM patients WHERE family_name >= @q COLLATE NOCASE AND family_name < @hi COLLATE NOCASE
      UNION SELECT id FROM patients WHERE given_name >= @q COLLATE NOCASE AND given_name < @hi COLLATE NOCASE
      UNION SELECT id FROM patients WHERE mrn >= @q AND mrn < @hi
      UNION SELECT patient_id FROM pumps WHERE serial >= @q AND serial < @hi) LIMIT ${HIT_CAP + 1}`,
};

/**
 * Cheap answers for the common keystrokes (issue: 11.2 ms per keystroke at 50,000 patients), each
 * the same patients in the same order as the flow above (search-equality.test.ts keeps the old one
 * as the oracle):
 * - Three or more characters first ask the trigram index for at most SPARSE_HITS + 1 matches; when
 *   there are at most SPARSE_HITS, that is the whole list (cheap to read and sort). Only a dense
 *   query asks for HIT_CAP + 1 (reading 4,001 matches from the index cost 6–13 ms).
 * - A dense keystroke (and every one or two characters) is first probed: the first PROBE_ROWS
 *   patients by name, tested one by one, stopping at a page. When they hold a full page, those are
 *   the first matches of the whole clinic (every other patient sorts after them), and the answer.
 *   Otherwise the flow above answers. The probe is used only when it cannot differ from that flow:
 *   printable ASCII (SQLite's LIKE and the index fold the same case) and no name, birth-date or
 *   phone reading (those add hits only below HIT_CAP), and a page of at most PROBE_MAX_LIMIT.
 */
export const SPARSE_HITS = 1000;
export const SPARSE_HITS_SQL = `SELECT rowid FROM patient_search WHERE text LIKE @q LIMIT ${SPARSE_HITS + 1}`;
export const PROBE_ROWS = 2000;
export const PROBE_MAX_LIMIT = 500;

/** True when the probe's answer, if it finds a full page, is the flow's answer (see above). */
export function probeable(query: string | undefined, dateOrder: DateOrder | undefined, limit: number): boolean {
  if (!query || limit < 1 || limit > PROBE_MAX_LIMIT) return false;
  const mode = searchMode(query);
  if (mode !== 'anywhere' && mode !== 'prefix') return false;
  if (!/^[\x20-\x7e]+$/.test(query)) return false;
  return nameReadings(query).length === 0 && birthDateReadings(query, dateOrder).length === 0 && phoneQuery(query) === null;
}

/** Which patients a statement keeps, on patients `p`. */
export type SearchCondition = 'all' | 'ids' | 'denseAnywhere' | 'densePrefix' | 'literal';
const fieldsLike = (pattern: string, escape: string) =>
  `(p.mrn LIKE ${pattern}${escape} OR p.family_name LIKE ${pattern}${escape} OR p.given_name LIKE ${pattern}${escape}
      OR EXISTS (SELECT 1 FROM pumps sp WHERE sp.patient_id = p.id AND sp.serial LIKE ${pattern}${escape}))`;
export const SEARCH_CONDITION: Record<SearchCondition, string> = {
  all: '1',
  ids: 'p.id IN (SELECT value FROM json_each(@ids))',
  denseAnywhere: fieldsLike('@q', ''),
  densePrefix: fieldsLike(`@q || '%'`, ''),
  literal: fieldsLike('@q', ` ESCAPE '\\'`),
};

/** The parameters for a query in its mode. */
export function searchParams(query: string | undefined): { q: string | null; hi: string | null } {
  const mode = searchMode(query);
  switch (mode) {
    case 'all':
      return { q: null, hi: null };
    case 'anywhere':
      return { q: `%${query}%`, hi: null };
    case 'prefix':
      // Every text starting with the query (case-insensitively) sorts between it and it + U+10FFFF.
      return { q: query!, hi: `${query}\u{10FFFF}` };
    case 'literal':
      return { q: `%${query!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, hi: null };
  }
}

/** The condition for the list, given the mode and (for anywhere/prefix) the capped hits. */
export function searchCondition(mode: SearchMode, hits: readonly number[] | null): SearchCondition {
  switch (mode) {
    case 'all':
    case 'literal':
      return mode;
    case 'anywhere':
    case 'prefix':
      if (hits !== null && hits.length <= HIT_CAP) return 'ids';
      return mode === 'anywhere' ? 'denseAnywhere' : 'densePrefix';
  }
}

/**
 * The other forms a person types (issue 16, item 4), each answered from an index and added to the
 * hits above: a name as "First Last", "Last First" or "Last, First" (each part a case-insensitive
 * prefix, on the name index), a birth date (ISO, or with / . - in the user's `dateOrder`; on the
 * birth-date index) and a phone number (its digits the start or the end of a stored number's, on the digits indexes).
 */
export const FORM_HITS_SQL = {
  name: `SELECT id FROM patients
    WHERE family_name >= @family COLLATE NOCASE AND family_name < @familyHi COLLATE NOCASE
      AND given_name >= @given COLLATE NOCASE AND given_name < @givenHi COLLATE NOCASE LIMIT ${HIT_CAP + 1}`,
  birthDate: `SELECT id FROM patients WHERE birth_date IN (SELECT value FROM json_each(@dates)) LIMIT ${HIT_CAP + 1}`,
  phone: `SELECT patient_id FROM patient_phones WHERE digits >= @digits AND digits < @digitsHi
    UNION SELECT patient_id FROM patient_phones WHERE digits_reversed >= @reversed AND digits_reversed < @reversedHi LIMIT ${HIT_CAP + 1}`,
} as const;

export type DateOrder = 'mdy' | 'dmy' | 'ymd';

/** A family and a given name to look for, each a prefix. */
export interface NameReading {
  family: string;
  given: string;
}

/** "Last, First" is one reading; "First Last" (two or more words) is read both ways, the last word or the first as the family name. */
export function nameReadings(query: string): NameReading[] {
  const q = query.trim();
  const comma = q.indexOf(',');
  if (comma >= 0) {
    const family = q.slice(0, comma).trim();
    const given = q.slice(comma + 1).trim();
    return family && given && !given.includes(',') ? [{ family, given }] : [];
  }
  const words = q.split(/\s+/).filter(Boolean);
  if (words.length < 2) return [];
  const readings: NameReading[] = [];
  for (let i = 1; i < words.length; i++) {
    const first = words.slice(0, i).join(' ');
    const rest = words.slice(i).join(' ');
    readings.push({ given: first, family: rest }, { family: first, given: rest });
  }
  return readings;
}

const realDate = (y: number, m: number, d: number): string | null => {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1000) return null;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

/**
 * The calendar dates a query may be: `1961-03-14`, or three numbers separated by / . - read in the
 * user's date order (without one, every order that gives a real date: a search may show both
 * 03/04 readings, the list shows each birth date). A two-digit year is not guessed.
 */
export function birthDateReadings(query: string, order: DateOrder | undefined): string[] {
  const q = query.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(q);
  if (iso) {
    const d = realDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    return d ? [d] : [];
  }
  const m = /^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$/.exec(q);
  if (!m) return [];
  const [a, b, c] = [m[1]!, m[2]!, m[3]!];
  const orders: DateOrder[] = order ? [order] : ['mdy', 'dmy', 'ymd'];
  const out = new Set<string>();
  for (const o of orders) {
    let d: string | null = null;
    switch (o) {
      case 'mdy':
        d = c.length === 4 ? realDate(Number(c), Number(a), Number(b)) : null;
        break;
      case 'dmy':
        d = c.length === 4 ? realDate(Number(c), Number(b), Number(a)) : null;
        break;
      case 'ymd':
        d = a.length === 4 ? realDate(Number(a), Number(b), Number(c)) : null;
        break;
    }
    if (d) out.add(d);
  }
  return [...out];
}

/** The digits to look for when the query is a phone number (only phone characters, 6 or more digits), else null. */
export function phoneQuery(query: string): string | null {
  const q = query.trim();
  if (!/^\+?[0-9 ()\-.]+$/.test(q)) return null;
  const digits = q.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 20 ? digits : null;
}
