import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogConflict, foldCatalogueNumber, matchDeviceModel, type MatchableModel } from './device-match';

/** The seed catalog as a new clinic has it (migrations 2 and "device aliases, Prometra split and dilution stability"). */
const CATALOG: MatchableModel[] = [
  { id: 1, manufacturer: 'Medtronic', model: 'SynchroMed II', aliases: ['SynchroMed 2'], catalogueNumbers: ['8637-20'], reservoirUl: 20000 },
  { id: 2, manufacturer: 'Medtronic', model: 'SynchroMed II', aliases: ['SynchroMed 2'], catalogueNumbers: ['8637-40'], reservoirUl: 40000 },
  { id: 3, manufacturer: 'Medtronic', model: 'SynchroMed EL', aliases: [], catalogueNumbers: ['8626'], reservoirUl: 10000 },
  { id: 4, manufacturer: 'Medtronic', model: 'SynchroMed EL', aliases: [], catalogueNumbers: ['8627'], reservoirUl: 18000 },
  { id: 6, manufacturer: 'Flowonix', model: 'Prometra II', aliases: ['Prometra 2'], catalogueNumbers: ['16827'], reservoirUl: 40000 },
  { id: 7, manufacturer: 'Codman', model: '3000', aliases: ['Codman 3000'], catalogueNumbers: [], reservoirUl: 30000 },
  { id: 8, manufacturer: 'Flowonix', model: 'Prometra', aliases: [], catalogueNumbers: ['11827'], reservoirUl: 20000 },
  { id: 9, manufacturer: 'Flowonix', model: 'Prometra II', aliases: ['Prometra 2'], catalogueNumbers: ['13827'], reservoirUl: 20000 },
];

const match = (manufacturer: string, model: string, reservoirMl: number | null) =>
  matchDeviceModel(CATALOG, { manufacturer, model, reservoirUl: reservoirMl === null ? null : reservoirMl * 1000 });
const idOf = (manufacturer: string, model: string, reservoirMl: number | null) => {
  const m = match(manufacturer, model, reservoirMl);
  return m.ok ? m.model.id : m.problem;
};

describe('matchDeviceModel: a clinic spreadsheet\'s words', () => {
  it('"Flowonix, Prometra II, 20 mL" is the Prometra II 13827, and 40 mL the 16827 (issue 13)', () => {
    expect(idOf('Flowonix', 'Prometra II', 20)).toBe(9);
    expect(idOf('Flowonix', 'Prometra II', 40)).toBe(6);
    expect(idOf('Flowonix', 'Prometra', 20)).toBe(8);
  });

  it('ignores case and surrounding or doubled spaces in the maker, the model and aliases', () => {
    expect(idOf('  FLOWONIX ', ' prometra   ii ', 20)).toBe(9);
    expect(idOf('medtronic', 'synchromed ii', 40)).toBe(2);
    expect(idOf('Medtronic', 'SYNCHROMED 2', 20)).toBe(1);
    expect(idOf('codman', 'codman 3000', 30)).toBe(7);
    expect(match('Flowonix', 'Prometra 2', 20)).toMatchObject({ ok: true, by: 'alias' });
  });

  it('takes a catalogue number in the model column, with or without its hyphen or a space', () => {
    expect(match('Flowonix', '13827', 20)).toMatchObject({ ok: true, by: 'catalogue_number', model: { id: 9 } });
    expect(idOf('Medtronic', '8637-40', 40)).toBe(2);
    expect(idOf('Medtronic', '8637 40', 40)).toBe(2);
    expect(idOf('Medtronic', '863740', 40)).toBe(2);
    expect(idOf('medtronic', ' 8627 ', 18)).toBe(4);
    // No manufacturer and no volume (the implant form's look-up): a catalogue number is enough.
    expect(idOf('', '16827', null)).toBe(6);
  });

  it('a wrong volume names the reservoir field and the sizes the catalog knows', () => {
    expect(match('Flowonix', 'Prometra II', 30)).toEqual({
      ok: false,
      problem: 'no_such_size',
      field: 'reservoir',
      message: 'Flowonix Prometra II has no 30 mL reservoir in the device catalog (it has 40 mL, 20 mL)',
      candidates: [CATALOG[4], CATALOG[7]],
    });
    expect(match('Flowonix', '13827', 40)).toMatchObject({
      ok: false,
      problem: 'no_such_size',
      field: 'reservoir',
      message: 'catalogue number 13827 is Flowonix Prometra II 20 mL (13827), not 40 mL',
    });
  });

  it('an unknown model or manufacturer names its field and lists what the catalog has', () => {
    expect(match('Flowonix', 'Prometra III', 20)).toMatchObject({
      ok: false,
      problem: 'unknown_model',
      field: 'model',
      message:
        '"Prometra III" is not a model name, alias or catalogue number of Flowonix in the device catalog (it has Flowonix Prometra II 40 mL (16827); Flowonix Prometra 20 mL (11827); Flowonix Prometra II 20 mL (13827))',
    });
    expect(match('Acme', 'Prometra II', 20)).toMatchObject({
      ok: false,
      problem: 'unknown_manufacturer',
      field: 'manufacturer',
      message: 'no manufacturer "Acme" in the device catalog (it has Codman, Flowonix, Medtronic)',
    });
    // A catalogue number of another maker is not this maker's.
    expect(match('Medtronic', '13827', 20)).toMatchObject({ ok: false, problem: 'unknown_model' });
  });

  it('two models that both match is an error listing both, never a guess', () => {
    const combined = { id: 5, manufacturer: 'Flowonix', model: 'Prometra / Prometra II', aliases: ['Prometra II'], catalogueNumbers: [], reservoirUl: 20000 };
    const m = matchDeviceModel([...CATALOG, combined], { manufacturer: 'Flowonix', model: 'Prometra II', reservoirUl: 20000 });
    expect(m).toMatchObject({ ok: false, problem: 'ambiguous', field: 'model' });
    if (m.ok) return;
    expect(m.candidates.map((c) => c.id)).toEqual([9, 5]);
    expect(m.message).toBe(
      '"Prometra II" 20 mL matches 2 device models: Flowonix Prometra II 20 mL (13827); Flowonix Prometra / Prometra II 20 mL. Write the catalogue number, or give the models distinct names and aliases in Settings > Device catalog',
    );
    // A name of several sizes without a volume asks for the volume.
    expect(match('Flowonix', 'Prometra II', null)).toMatchObject({ ok: false, problem: 'ambiguous', field: 'reservoir' });
  });

  it('property: every catalogue number of the seed finds its own model, however it is spaced and cased', () => {
    const numbered = CATALOG.flatMap((m) => m.catalogueNumbers.map((n) => [m, n] as const));
    fc.assert(
      fc.property(fc.constantFrom(...numbered), fc.boolean(), fc.constantFrom('', ' ', '  '), fc.constantFrom('-', ' ', ''), (pair, upper, pad, hyphen) => {
        const [model, number] = pair;
        const written = pad + (upper ? number.toUpperCase() : number.toLowerCase()).replace('-', hyphen) + pad;
        const m = matchDeviceModel(CATALOG, { manufacturer: model.manufacturer.toLowerCase(), model: written, reservoirUl: model.reservoirUl });
        expect(m.ok && m.model.id).toBe(model.id);
      }),
    );
    expect(foldCatalogueNumber(' 8637 - 20 ')).toBe('863720');
  });
});

describe('catalogConflict: the catalog refuses words that would match two models', () => {
  const draft = { manufacturer: 'Flowonix', model: 'Prometra III', aliases: [] as string[], catalogueNumbers: [] as string[], reservoirUl: 20000 };
  it('accepts a new model with its own words, and a model saved again unchanged', () => {
    expect(catalogConflict(CATALOG, draft)).toBeNull();
    expect(catalogConflict(CATALOG, { ...CATALOG[7]!, id: 9 })).toBeNull();
  });
  it('refuses a catalogue number another model has (spaced differently), naming that model', () => {
    expect(catalogConflict(CATALOG, { ...draft, catalogueNumbers: ['13 827'] })).toEqual({ field: 'catalogueNumbers', message: 'Catalogue number 13 827 is already Flowonix Prometra II 20 mL (13827).' });
  });
  it('refuses a name or alias that names another model of the same size, not one of another size', () => {
    expect(catalogConflict(CATALOG, { ...draft, model: 'prometra ii' })).toMatchObject({ field: 'model' });
    expect(catalogConflict(CATALOG, { ...draft, aliases: ['Prometra 2'] })).toMatchObject({ field: 'aliases' });
    expect(catalogConflict(CATALOG, { ...draft, aliases: ['Prometra 2'], reservoirUl: 30000 })).toBeNull();
  });
});
