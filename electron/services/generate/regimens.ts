import type { InputOf } from '../../../shared/contract';
import type { Indication } from '../../../shared/contract/patients';
import type { Rng } from './random';

/** Names, people and regimens of the synthetic clinic (`generate.ts`). */
// None of the demo clinic's hand-written family names (Okafor, Brennan, Haddad, Novak, Sato, Fischer,
// Quinn, Reyes, Halvorsen, Mercer, Abara):
// a generated patient must never be mistaken for one of them.
export const FAMILY = ['Adeyemi', 'Walsh', 'Farouk', 'Dvořák', 'Tanabe', 'Weber', 'Garcia', 'Nguyen', 'Kowalski', 'Ivanova', 'Müller', 'Rossi', 'Dubois', 'Andersen', 'Silva', 'Kim', 'Patel', 'Mensah', 'Laine', 'Horvat', "O'Neill", 'Costa', 'Jansen', 'Yilmaz'];
export const GIVEN_F = ['Grace', 'Layla', 'Emi', 'Anna', 'Maria', 'Sofia', 'Ingrid', 'Amara', 'Chloé', 'Hana', 'Lucia', 'Nora'];
export const GIVEN_M = ['Thomas', 'Pavel', 'Jonas', 'Ahmed', 'Luca', 'Kofi', 'Mateo', 'Sven', 'Ravi', 'Hugo', 'Jan', 'Omar'];
export const CLINICIANS = ['Dr. Lindqvist', 'Dr. Moreau', 'Dr. Achebe', 'Dr. Tanaka'];
export const NURSES = ['RN Patel', 'RN Okoye', 'RN Berg', 'RN Castillo'];
export const PAIN: Indication[] = ['cancer_pain', 'failed_back_surgery_syndrome', 'crps', 'chronic_pancreatitis', 'arachnoiditis', 'other'];

export type Unit = 'mg' | 'mcg';
export interface Ingredient {
  drug: string;
  unit: Unit;
  /** Concentration per mL in `unit`. */
  conc: number;
  /** Largest daily dose a dose change may reach, in `unit`. */
  maxDose: number;
}
export interface Regimen {
  ingredients: Ingredient[];
  /** Daily volume, mL/day. */
  volMl: number;
}

export const round3 = (n: number) => Math.round(n * 1000) / 1000;
export const round1 = (n: number) => Math.round(n * 10) / 10;

/** A regimen for the indication; volume 0.08–0.6 mL/day so intervals run from about one to a few months. */
export function chooseRegimen(rng: Rng, indication: Indication): Regimen {
  const vol = (dose: number, conc: number) => dose / conc;
  if (indication === 'spasticity') {
    const conc = rng.pick([500, 1000, 2000]);
    const dose = rng.int(1, 8) * 100;
    return { ingredients: [{ drug: 'Baclofen', unit: 'mcg', conc, maxDose: 1000 }], volMl: Math.min(0.6, Math.max(0.08, vol(dose, conc))) };
  }
  const r = rng.next();
  if (indication === 'crps' && r < 0.5) {
    const conc = rng.pick([25, 100]);
    return { ingredients: [{ drug: 'Ziconotide', unit: 'mcg', conc, maxDose: 19 }], volMl: conc === 25 ? rng.pick([0.1, 0.12, 0.16]) : rng.pick([0.03, 0.05, 0.08]) };
  }
  const morphineConc = rng.pick([10, 20, 25]);
  const morphine: Ingredient = { drug: 'Morphine', unit: 'mg', conc: morphineConc, maxDose: 20 };
  const volMl = round3(rng.range(0.1, 0.5));
  if (r < 0.35) return { ingredients: [morphine], volMl };
  if (r < 0.6) return { ingredients: [{ drug: 'Hydromorphone', unit: 'mg', conc: rng.pick([2, 5, 10]), maxDose: 20 }], volMl };
  if (r < 0.8) return { ingredients: [morphine, { drug: 'Bupivacaine', unit: 'mg', conc: rng.pick([10, 20, 30]), maxDose: 30 }], volMl };
  return { ingredients: [morphine, { drug: 'Clonidine', unit: 'mcg', conc: rng.pick([50, 100, 200]), maxDose: 1000 }], volMl };
}

export function doses(regimen: Regimen): InputOf<'refills.record'>['drugs'] {
  return regimen.ingredients.map((i) => ({
    drug: i.drug,
    concentration: { value: i.conc, unit: i.unit },
    dailyDose: { value: round3(i.conc * regimen.volMl), unit: i.unit },
  }));
}

