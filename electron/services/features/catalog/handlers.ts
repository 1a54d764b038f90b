import type { z } from 'zod';
import { fail, ok, type Result } from '../../../../shared/contract/result';
import { mlToUl, type MassAmount } from '../../../../shared/contract/quantities';
import type { drugSaveInput } from '../../../../shared/contract/record';
import { catalogConflict } from '../../../../shared/domain/device-match';
import { NG_PER_UNIT } from '../../../../shared/domain/units';
import type { FeatureHandlers } from '../../handler-types';
import { refreshAllProjections } from '../record/projection';

/** A catalog amount in the drug's own unit family; anything else is refused, never converted silently. */
function toNg(amount: MassAmount | null, unit: 'mg' | 'mcg', field: string): Result<number | null> {
  if (amount === null) return ok(null);
  if (amount.unit !== unit) return fail('invalid_input', `${field} must be in ${unit}, like the drug; it is in ${amount.unit}.`, field);
  return ok(Math.round(amount.value * NG_PER_UNIT[unit]));
}

function drugFromInput(input: z.output<typeof drugSaveInput>) {
  const parts = {
    typicalConcMin: toNg(input.typicalConcentration?.min ?? null, input.unit, 'typicalConcentration.min'),
    typicalConcMax: toNg(input.typicalConcentration?.max ?? null, input.unit, 'typicalConcentration.max'),
    maxConc: toNg(input.maxConcentration, input.unit, 'maxConcentration'),
    typicalDoseMin: toNg(input.typicalDailyDose?.min ?? null, input.unit, 'typicalDailyDose.min'),
    typicalDoseMax: toNg(input.typicalDailyDose?.max ?? null, input.unit, 'typicalDailyDose.max'),
    maxDose: toNg(input.maxDailyDose, input.unit, 'maxDailyDose'),
    undilutedConc: toNg(input.undilutedConcentration ?? null, input.unit, 'undilutedConcentration'),
    stepUpSoft: toNg(input.maxStepUpSoft ?? null, input.unit, 'maxStepUpSoft'),
    weekStepUpSoft: toNg(input.maxWeekStepUpSoft ?? null, input.unit, 'maxWeekStepUpSoft'),
  };
  for (const p of Object.values(parts)) if (!p.ok) return p;
  const v = Object.fromEntries(Object.entries(parts).map(([k, p]) => [k, p.ok ? p.value : null])) as Record<keyof typeof parts, number | null>;
  const pair = (min: number | null, max: number | null) => (min === null || max === null ? null : { min, max });
  if (v.typicalConcMin !== null && v.typicalConcMax !== null && v.typicalConcMin > v.typicalConcMax)
    return fail('invalid_input', 'The typical concentration range is upside down (min above max).', 'typicalConcentration');
  if (v.typicalDoseMin !== null && v.typicalDoseMax !== null && v.typicalDoseMin > v.typicalDoseMax)
    return fail('invalid_input', 'The typical daily dose range is upside down (min above max).', 'typicalDailyDose');
  // A soft limit above its hard one could never warn: refused, naming the soft field.
  if (v.typicalConcMax !== null && v.maxConc !== null && v.typicalConcMax > v.maxConc)
    return fail('invalid_input', 'The typical (soft) concentration range ends above the hard maximum concentration: lower one of them.', 'typicalConcentration.max');
  if (v.typicalDoseMax !== null && v.maxDose !== null && v.typicalDoseMax > v.maxDose)
    return fail('invalid_input', 'The typical (soft) daily dose range ends above the hard maximum daily dose: lower one of them.', 'typicalDailyDose.max');
  const softPct = input.maxStepUpSoftPct ?? null;
  const hardPct = input.maxStepUpHardPct ?? null;
  if (softPct !== null && hardPct !== null && softPct > hardPct)
    return fail('invalid_input', 'The soft maximum step up (%) is above the hard maximum step up (%): lower one of them.', 'maxStepUpSoftPct');
  for (const [key, value] of [['maxStepUpSoft', v.stepUpSoft], ['maxWeekStepUpSoft', v.weekStepUpSoft]] as const) {
    if (value !== null && value <= 0) return fail('invalid_input', `The ${key === 'maxStepUpSoft' ? 'soft maximum step up per change' : 'soft maximum step up per 7 days'} must be more than 0.`, key);
  }
  const undilutedDays = input.undilutedStabilityDays ?? null;
  if (v.undilutedConc !== null && undilutedDays === null)
    return fail('invalid_input', 'Give the stability limit (days) of the undiluted drug, or leave its concentration empty.', 'undilutedStabilityDays');
  if (v.undilutedConc === null && undilutedDays !== null)
    return fail('invalid_input', 'Give the undiluted concentration the undiluted stability limit applies to, or leave the limit empty.', 'undilutedConcentration');
  if (v.undilutedConc !== null && v.undilutedConc <= 0)
    return fail('invalid_input', 'The undiluted concentration must be more than 0.', 'undilutedConcentration');
  return ok({
    ...(input.id === undefined ? {} : { id: input.id }),
    name: input.name,
    unit: input.unit,
    typicalConcNgPerMl: pair(v.typicalConcMin, v.typicalConcMax),
    maxConcNgPerMl: v.maxConc,
    typicalDoseNgPerDay: pair(v.typicalDoseMin, v.typicalDoseMax),
    maxDoseNgPerDay: v.maxDose,
    stabilityDays: input.stabilityDays,
    firstFillStabilityDays: input.firstFillStabilityDays,
    undilutedConcNgPerMl: v.undilutedConc,
    undilutedStabilityDays: undilutedDays,
    stabilitySource: input.stabilitySource ?? null,
    // Left out: the saved drug's is kept (the handler fills it in); null: cleared.
    withdrawalWarning: input.withdrawalWarning ?? null,
    // Left out: the saved drug's are kept (the handler fills them in); null: cleared.
    maxStepUpSoftPct: softPct,
    maxStepUpHardPct: hardPct,
    maxStepUpSoftNgPerDay: v.stepUpSoft,
    maxWeekStepUpSoftNgPerDay: v.weekStepUpSoft,
    limitsSource: input.limitsSource ?? null,
  });
}

export const catalogHandlers: FeatureHandlers<'settings.get' | 'settings.update' | 'drugs.list' | 'drugs.save' | 'devices.list' | 'devices.save'> = {
  'settings.get': (_input, ctx) => ok({ ...ctx.store.catalog.settings(), version: ctx.store.versions.of('settings', null).version }),
  // Several people at once: an edit based on an older version is refused with the values now (store/versions.ts).
  'settings.update': (input, ctx) =>
    ctx.store.write(() => {
      const { discrepancyThresholdSmallMl, discrepancyThresholdLargeMl, basedOn, ...rest } = input;
      const stale = ctx.store.versions.check('settings', null, basedOn, ctx.store.catalog.settings().timeZone, () => ctx.store.catalog.settings());
      if (stale) return stale;
      const settings = ctx.store.catalog.updateSettings({
        ...rest,
        ...(discrepancyThresholdSmallMl === undefined ? {} : { discrepancyThresholdSmallUl: mlToUl(discrepancyThresholdSmallMl) }),
        ...(discrepancyThresholdLargeMl === undefined ? {} : { discrepancyThresholdLargeUl: mlToUl(discrepancyThresholdLargeMl) }),
      });
      refreshAllProjections(ctx);
      return ok(settings);
    }),
  'drugs.list': (_input, ctx) => {
    const versions = ctx.store.versions.all('drug');
    return ok(ctx.store.catalog.drugs().map((d) => ({ ...d, version: versions.get(d.id) ?? 0 })));
  },
  'drugs.save': (input, ctx) =>
    ctx.store.write(() => {
      if (input.id !== undefined) {
        const id = input.id;
        const stale = ctx.store.versions.check('drug', id, input.basedOn, ctx.store.catalog.settings().timeZone, () => ctx.store.catalog.drugById(id));
        if (stale) return stale;
      }
      const drug = drugFromInput(input);
      if (!drug.ok) return drug;
      const byName = ctx.store.catalog.drugByName(input.name);
      if (byName && byName.id !== input.id) return fail('conflict', `The drug list already has ${byName.name}.`, 'name');
      if (input.id !== undefined) {
        const current = ctx.store.catalog.drugById(input.id);
        if (!current) return fail('not_found', `There is no drug with id ${input.id}.`, 'id');
        if (current.unit !== input.unit) return fail('refused', `${current.name} is recorded in ${current.unit}; its unit cannot change.`, 'unit');
        // A safety warning is never lost by a save that did not mention it.
        if (input.withdrawalWarning === undefined) drug.value.withdrawalWarning = current.withdrawalWarning;
        // Nor a limit, or the source of the limits.
        if (input.maxStepUpSoftPct === undefined) drug.value.maxStepUpSoftPct = current.maxStepUpSoftPct;
        if (input.maxStepUpHardPct === undefined) drug.value.maxStepUpHardPct = current.maxStepUpHardPct;
        if (input.maxStepUpSoft === undefined) drug.value.maxStepUpSoftNgPerDay = current.maxStepUpSoftNgPerDay;
        if (input.maxWeekStepUpSoft === undefined) drug.value.maxWeekStepUpSoftNgPerDay = current.maxWeekStepUpSoftNgPerDay;
        if (input.limitsSource === undefined) drug.value.limitsSource = current.limitsSource;
      }
      const saved = ctx.store.catalog.saveDrug(drug.value);
      refreshAllProjections(ctx);
      return ok(saved);
    }),
  'devices.list': (_input, ctx) => {
    const versions = ctx.store.versions.all('device_model');
    return ok(ctx.store.catalog.devices().map((d) => ({ ...d, version: versions.get(d.id) ?? 0 })));
  },
  'devices.save': (input, ctx) =>
    ctx.store.write(() => {
      if (input.id !== undefined && !ctx.store.catalog.deviceById(input.id)) return fail('not_found', `There is no device model with id ${input.id}.`, 'id');
      if (input.id !== undefined) {
        const id = input.id;
        const stale = ctx.store.versions.check('device_model', id, input.basedOn, ctx.store.catalog.settings().timeZone, () => ctx.store.catalog.deviceById(id));
        if (stale) return stale;
      }
      const reservoirUl = mlToUl(input.reservoirMl);
      const defaultAlarmUl = mlToUl(input.defaultAlarmMl);
      if (defaultAlarmUl >= reservoirUl) return fail('invalid_input', 'The default alarm volume must be below the reservoir volume.', 'defaultAlarmMl');
      const aliases = input.aliases ?? [];
      const conflict = catalogConflict(ctx.store.catalog.devices(), { id: input.id, manufacturer: input.manufacturer, model: input.model, aliases, catalogueNumbers: input.catalogueNumbers, reservoirUl });
      if (conflict) return fail('conflict', conflict.message, conflict.field);
      const saved = ctx.store.catalog.saveDevice({
        ...(input.id === undefined ? {} : { id: input.id }),
        manufacturer: input.manufacturer,
        model: input.model,
        aliases,
        catalogueNumbers: input.catalogueNumbers,
        reservoirUl,
        defaultAlarmUl,
        serviceLifeMonths: input.serviceLifeMonths,
        replacementLeadMonths: input.replacementLeadMonths,
        kind: input.kind,
        mriNotes: input.mriNotes ?? null,
      });
      refreshAllProjections(ctx);
      return ok(saved);
    }),
};
