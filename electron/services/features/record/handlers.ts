import { ok } from '../../../../shared/contract/result';
import { todayIn } from '../../../../shared/domain/calendar';
import type { FeatureHandlers, HandlerContext } from '../../handler-types';
import type { Conflict } from '../../store/versions';
import { previewDoseChange, previewRefill, recordDoseChange, recordRefill } from './refills';
import {
  implantPump,
  patientRecord,
  recordEvent,
  recordMriPostScan,
  recordRemoval,
  recordReversal,
  resolveEvent,
} from './service';
import { worklist } from './worklist';
import { restartTherapy } from './restart';
import { withDoubleCheck } from '../verifications/record-hooks';

type RecordRequests =
  | 'patients.get'
  | 'pumps.implant'
  | 'pumps.list'
  | 'refills.preview'
  | 'refills.record'
  | 'doseChanges.preview'
  | 'doseChanges.record'
  | 'events.record'
  | 'events.resolve'
  | 'events.mriPostScan'
  | 'reversals.record'
  | 'removals.record'
  | 'restarts.record'
  | 'worklist.get';

/** The refusal of an entry whose form saw the pump before another entry was recorded on it, or null. */
function samePump(ctx: HandlerContext, input: { pumpId: number; pumpState?: string | undefined }): Conflict | null {
  return ctx.store.versions.checkPump(input.pumpId, input.pumpState, ctx.store.catalog.settings().timeZone);
}

/** Every write runs in `store.write`: one transaction, rolled back on any refusal. */
export const recordHandlers: FeatureHandlers<RecordRequests> = {
  'patients.get': (input, ctx) => patientRecord(ctx, input.id),
  'pumps.implant': (input, ctx) => ctx.store.write(() => implantPump(ctx, input)),
  'pumps.list': (_input, ctx) => ok(ctx.store.record.allPumps()),
  'refills.preview': (input, ctx) => previewRefill(ctx, input),
  // Several people at once: each entry on a pump checks, in its transaction, that the pump is as the
  // form saw it. The independent double check is requested in the entry's own transaction (verifications/).
  'refills.record': (input, ctx) => ctx.store.write(() => samePump(ctx, input) ?? withDoubleCheck.refill(ctx, input.pumpId, () => recordRefill(ctx, input))),
  'doseChanges.preview': (input, ctx) => previewDoseChange(ctx, input),
  'doseChanges.record': (input, ctx) => ctx.store.write(() => samePump(ctx, input) ?? withDoubleCheck.doseChange(ctx, input.pumpId, () => recordDoseChange(ctx, input))),
  'events.record': (input, ctx) => ctx.store.write(() => recordEvent(ctx, input)),
  'events.resolve': (input, ctx) => ctx.store.write(() => resolveEvent(ctx, input)),
  'events.mriPostScan': (input, ctx) => ctx.store.write(() => recordMriPostScan(ctx, input)),
  'reversals.record': (input, ctx) => ctx.store.write(() => samePump(ctx, input) ?? recordReversal(ctx, input)),
  'removals.record': (input, ctx) => ctx.store.write(() => samePump(ctx, input) ?? recordRemoval(ctx, input)),
  'restarts.record': (input, ctx) => ctx.store.write(() => samePump(ctx, input) ?? withDoubleCheck.refill(ctx, input.pumpId, () => restartTherapy(ctx, input))),
  'worklist.get': (input, ctx) => {
    const settings = ctx.store.catalog.settings();
    const asOf = input.asOf ?? todayIn(settings.timeZone, ctx.now());
    return ok(worklist(ctx, asOf, input.days ?? settings.dueWindowDays, { category: input.category, limit: input.limit, offset: input.offset }));
  },
};
