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
 * The index is kept by triggers in the same transaction as every patient and pump write.
 */

/** Migration SQL: the trigram index, its triggers, the prefix indexes, and the index filled from today's patients. */
export const PATIENT_SEARCH_SQL = `
  CREATE VIRTUAL TABLE patient_search USING fts5 (text, tokenize = 'trigram');

  CREATE TRIGGER patient_search_after_patient_insert AFTER INSERT ON patients BEGIN
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, ${searchText('NEW.id', 'NEW.mrn', 'NEW.family_name', 'NEW.given_name')});
  END;
  CREATE TRIGGER patient_search_after_patient_update AFTER UPDATE OF mrn, family_name, given_name ON patients BEGIN
    DELETE FROM patient_search WHERE rowid = OLD.id;
    INSERT INTO patient_search (rowid, text) VALUES (NEW.id, ${searchText('NEW.id', 'NEW.mrn', 'NEW.family_name', 'NEW.given_name')});
  END;
  CREATE TRIGGER patient_search_after_pump_insert AFTER INSERT ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid = NEW.patient_id;
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, ${searchText('p.id', 'p.mrn', 'p.family_name', 'p.given_name')} FROM patients p WHERE p.id = NEW.patient_id;
  END;
  CREATE TRIGGER patient_search_after_pump_update AFTER UPDATE OF serial, patient_id ON pumps BEGIN
    DELETE FROM patient_search WHERE rowid IN (OLD.patient_id, NEW.patient_id);
    INSERT INTO patient_search (rowid, text)
      SELECT p.id, ${searchText('p.id', 'p.mrn', 'p.family_name', 'p.given_name')} FROM patients p WHERE p.id IN (OLD.patient_id, NEW.patient_id);
  END;

  INSERT INTO patient_search (rowid, text)
    SELECT p.id, ${searchText('p.id', 'p.mrn', 'p.family_name', 'p.given_name')} FROM patients p;

  CREATE INDEX patients_by_given_name ON patients (given_name COLLATE NOCASE);
`;

function searchText(id: string, mrn: string, family: string, given: string): string {
  return `${mrn} || char(1) || ${family} || char(1) || ${given} ||
    coalesce((SELECT char(1) || group_concat(s.serial, char(1)) FROM pumps s WHERE s.patient_id = ${id}), '')`;
}

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
