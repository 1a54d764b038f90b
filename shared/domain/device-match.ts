/**
 * Finding a device model of the catalog from the words a clinic writes: the import's
 * `manufacturer, model, reservoir_ml` and the implant form's look-up use this one function.
 *
 * A model is named by its manufacturer, then one of: its model name, one of its aliases, or one of
 * its catalogue numbers; and its reservoir volume (a model name or alias can cover several sizes:
 * "Prometra II" is 20 mL (13827) and 40 mL (16827); a catalogue number names one size).
 *  - Names and aliases compare trimmed, case-insensitively, with runs of spaces as one space:
 *    "  prometra   ii " is "Prometra II".
 *  - Catalogue numbers compare case-insensitively ignoring spaces and hyphens: "8637-20",
 *    "8637 20" and "863720" are the same number. (No catalogue number of the seed differs from
 *    another only by a hyphen; the catalog refuses two that would compare equal.)
 * Two models that both match is an error listing them, never a guess.
 */

/** What the matcher reads of a device model. */
export interface MatchableModel {
  readonly id: number;
  readonly manufacturer: string;
  readonly model: string;
  readonly aliases: readonly string[];
  readonly catalogueNumbers: readonly string[];
  readonly reservoirUl: number;
}

export interface DeviceQuery {
  /** Empty: any manufacturer (the implant form's look-up); the import always gives one. */
  readonly manufacturer: string;
  /** A model name, an alias or a catalogue number. */
  readonly model: string;
  /** Null: any size (a catalogue number names one; a name of several sizes is ambiguous). */
  readonly reservoirUl: number | null;
}

export type DeviceMatchProblem = 'unknown_manufacturer' | 'unknown_model' | 'no_such_size' | 'ambiguous';

export type DeviceMatch<T extends MatchableModel> =
  | { readonly ok: true; readonly model: T; readonly by: 'name' | 'alias' | 'catalogue_number' }
  | {
      readonly ok: false;
      readonly problem: DeviceMatchProblem;
      /** Which part of the query is wrong. */
      readonly field: 'manufacturer' | 'model' | 'reservoir';
      /** Says the problem and what the catalog has, without the query's place (the caller adds it). */
      readonly message: string;
      /** The models the query could have meant (ambiguous, no_such_size), else empty. */
      readonly candidates: readonly T[];
    };

/** A name or alias as compared: trimmed, lower-cased (en-US), runs of white space as one space. */
export function foldDeviceName(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLocaleLowerCase('en-US');
}

/** A catalogue number as compared: lower-cased, without spaces and hyphens. */
export function foldCatalogueNumber(s: string): string {
  return s.replace(/[\s-]+/g, '').toLocaleLowerCase('en-US');
}

const ml = (ul: number) => `${ul / 1000} mL`;

/** "Flowonix Prometra II 20 mL (13827)": a model as a person reads it in a message. */
export function describeModel(m: MatchableModel): string {
  const numbers = m.catalogueNumbers.length === 0 ? '' : ` (${m.catalogueNumbers.join(', ')})`;
  return `${m.manufacturer} ${m.model} ${ml(m.reservoirUl)}${numbers}`;
}

const quote = (s: string) => `"${s.trim()}"`;
const distinct = (xs: readonly string[]) => [...new Set(xs)];

/** How `query` names `m`, or null when it does not. */
function namedBy(m: MatchableModel, name: string, number: string): 'name' | 'alias' | 'catalogue_number' | null {
  if (foldDeviceName(m.model) === name) return 'name';
  if (m.aliases.some((a) => foldDeviceName(a) === name)) return 'alias';
  if (number !== '' && m.catalogueNumbers.some((c) => foldCatalogueNumber(c) === number)) return 'catalogue_number';
  return null;
}

/**
 * The catalog model `query` names, or why none or several do. Examples (the seed catalog):
 * `Flowonix, Prometra II, 20 mL` → Prometra II 20 mL; `flowonix, 13827, 20 mL` → the same;
 * `Flowonix, Prometra II, 30 mL` → no_such_size ("… has no 30 mL reservoir … (it has 20 mL, 40 mL)").
 */
export function matchDeviceModel<T extends MatchableModel>(catalog: readonly T[], query: DeviceQuery): DeviceMatch<T> {
  const maker = foldDeviceName(query.manufacturer);
  const ofMaker = maker === '' ? catalog : catalog.filter((m) => foldDeviceName(m.manufacturer) === maker);
  if (ofMaker.length === 0) {
    const makers = distinct(catalog.map((m) => m.manufacturer)).sort((a, b) => a.localeCompare(b)).join(', ');
    return { ok: false, problem: 'unknown_manufacturer', field: 'manufacturer', message: `no manufacturer ${quote(query.manufacturer)} in the device catalog (it has ${makers || 'no models'})`, candidates: [] };
  }
  const name = foldDeviceName(query.model);
  const number = foldCatalogueNumber(query.model);
  const named: { model: T; by: 'name' | 'alias' | 'catalogue_number' }[] = [];
  for (const m of ofMaker) {
    const by = namedBy(m, name, number);
    if (by !== null) named.push({ model: m, by });
  }
  const whose = maker === '' ? 'any manufacturer' : ofMaker[0]!.manufacturer;
  if (named.length === 0) {
    return {
      ok: false,
      problem: 'unknown_model',
      field: 'model',
      message: `${quote(query.model)} is not a model name, alias or catalogue number of ${whose} in the device catalog (it has ${ofMaker.map(describeModel).join('; ')})`,
      candidates: [],
    };
  }
  const sized = query.reservoirUl === null ? named : named.filter((n) => n.model.reservoirUl === query.reservoirUl);
  if (sized.length === 1) return { ok: true, model: sized[0]!.model, by: sized[0]!.by };
  const candidates = (sized.length === 0 ? named : sized).map((n) => n.model);
  if (sized.length === 0) {
    const sizes = distinct(named.map((n) => ml(n.model.reservoirUl))).join(', ');
    const asked = ml(query.reservoirUl!);
    const message = named.every((n) => n.by === 'catalogue_number')
      ? `catalogue number ${query.model.trim()} is ${named.map((n) => describeModel(n.model)).join(' or ')}, not ${asked}`
      : `${named[0]!.model.manufacturer} ${query.model.trim()} has no ${asked} reservoir in the device catalog (it has ${sizes})`;
    return { ok: false, problem: 'no_such_size', field: 'reservoir', message, candidates };
  }
  if (query.reservoirUl === null && distinct(sized.map((n) => String(n.model.reservoirUl))).length > 1) {
    const sizes = distinct(sized.map((n) => ml(n.model.reservoirUl))).join(', ');
    return { ok: false, problem: 'ambiguous', field: 'reservoir', message: `${quote(query.model)} comes in ${sizes}: give the reservoir volume or the catalogue number (${candidates.map(describeModel).join('; ')})`, candidates };
  }
  return {
    ok: false,
    problem: 'ambiguous',
    field: 'model',
    message: `${quote(query.model)}${query.reservoirUl === null ? '' : ` ${ml(query.reservoirUl)}`} matches ${candidates.length} device models: ${candidates.map(describeModel).join('; ')}. Write the catalogue number, or give the models distinct names and aliases in Settings > Device catalog`,
    candidates,
  };
}

/** A catalog entry about to be saved (`id` absent for a new one). */
export interface CatalogEntryDraft extends Omit<MatchableModel, 'id'> {
  readonly id?: number | undefined;
}

/**
 * Why `draft` cannot join `catalog` without making a clinic's words ambiguous, or null. Among one
 * manufacturer's other models: a catalogue number may name one model only; a name or alias may
 * not be another model's name, alias or catalogue number of the same reservoir volume; nor may
 * one of the draft's catalogue numbers be such a name or alias.
 */
export function catalogConflict(catalog: readonly MatchableModel[], draft: CatalogEntryDraft): { field: 'model' | 'aliases' | 'catalogueNumbers'; message: string } | null {
  const maker = foldDeviceName(draft.manufacturer);
  const others = catalog.filter((m) => m.id !== draft.id && foldDeviceName(m.manufacturer) === maker);
  const words: ['model' | 'aliases', string][] = [['model', draft.model], ...draft.aliases.map((a): ['aliases', string] => ['aliases', a])];
  for (const other of others) {
    for (const c of draft.catalogueNumbers) {
      if (other.catalogueNumbers.some((o) => foldCatalogueNumber(o) === foldCatalogueNumber(c))) {
        return { field: 'catalogueNumbers', message: `Catalogue number ${c} is already ${describeModel(other)}.` };
      }
    }
    if (other.reservoirUl !== draft.reservoirUl) continue;
    for (const [field, word] of words) {
      if (namedBy(other, foldDeviceName(word), foldCatalogueNumber(word)) !== null) {
        return { field, message: `"${word.trim()}" already names ${describeModel(other)}: the same words would match two models.` };
      }
    }
    for (const c of draft.catalogueNumbers) {
      if (namedBy(other, foldDeviceName(c), '') !== null) {
        return { field: 'catalogueNumbers', message: `Catalogue number ${c} is already a name of ${describeModel(other)}.` };
      }
    }
  }
  return null;
}
