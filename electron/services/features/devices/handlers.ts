import { fail, ok } from '../../../../shared/contract/result';
import { serialInRange, serialMode, type PumpRow, type PumpSearchResult } from '../../../../shared/contract/devices';
import type { Pump } from '../../../../shared/contract/record';
import type { FeatureHandlers, HandlerContext } from '../../handler-types';

const inWindow = (date: string, from: string | undefined, to: string | undefined) =>
  (from === undefined || date >= from) && (to === undefined || date <= to);

/** Every pump with its patient, sorted by patient then implant date. Composed from the record's repositories. */
function rowsFor(ctx: HandlerContext, pumps: Pump[]): PumpRow[] {
  const patients = new Map<number, PumpRow['patient']>();
  const rows: PumpRow[] = [];
  for (const pump of pumps) {
    let patient = patients.get(pump.patientId);
    if (!patient) {
      const p = ctx.store.patients.get(pump.patientId);
      patient = p
        ? { id: p.id, mrn: p.mrn, familyName: p.familyName, givenName: p.givenName }
        : { id: pump.patientId, mrn: '?', familyName: '(unknown patient)', givenName: '' };
      patients.set(pump.patientId, patient);
    }
    rows.push({ pump, patient });
  }
  return rows.sort(
    (a, b) =>
      a.patient.familyName.localeCompare(b.patient.familyName) ||
      a.patient.givenName.localeCompare(b.patient.givenName) ||
      a.pump.implantDate.localeCompare(b.pump.implantDate) ||
      a.pump.id - b.pump.id,
  );
}

export const deviceHandlers: FeatureHandlers<'pumps.search' | 'pumps.recall'> = {
  'pumps.search': (input, ctx) => {
    const matching = ctx.store.record
      .allPumps()
      .filter((p) => (input.deviceModelId === undefined || p.deviceModelId === input.deviceModelId) && inWindow(p.implantDate, input.implantedFrom, input.implantedTo));
    const counts: PumpSearchResult['counts'] = { total: matching.length, active: 0, off: 0, explanted: 0 };
    for (const p of matching) counts[p.status] += 1;
    const shown = input.status === undefined ? matching : matching.filter((p) => p.status === input.status);
    return ok({ rows: rowsFor(ctx, shown), counts });
  },
  'pumps.recall': (input, ctx) => {
    const deviceModel = ctx.store.catalog.deviceById(input.deviceModelId);
    if (!deviceModel) return fail('not_found', `There is no device model with id ${input.deviceModelId}.`, 'deviceModelId');
    const matching = ctx.store.record
      .allPumps()
      .filter(
        (p) =>
          p.deviceModelId === input.deviceModelId &&
          serialInRange(p.serial, input.serialFrom, input.serialTo) &&
          inWindow(p.implantDate, input.implantedFrom, input.implantedTo),
      );
    const hasRange = input.serialFrom !== undefined || input.serialTo !== undefined;
    return ok({
      deviceModel,
      serialComparison: hasRange ? serialMode(input.serialFrom, input.serialTo) : null,
      inPlace: rowsFor(ctx, matching.filter((p) => p.status !== 'explanted')),
      explantedCount: matching.filter((p) => p.status === 'explanted').length,
    });
  },
};
