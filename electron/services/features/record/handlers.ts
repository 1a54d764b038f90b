import { ok } from '../../../../shared/contract/result';
import { todayIn } from '../../../../shared/domain/calendar';
import type { FeatureHandlers } from '../../handler-types';
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

/** Every write runs in `store.write`: one transaction, rolled back on any refusal. */
export const recordHandlers: FeatureHandlers<RecordRequests> = {
  'patients.get': (input, ctx) => patientRecord(ctx, input.id),
  'pumps.implant': (input, ctx) => ctx.store.write(() => implantPump(ctx, input)),
  'pumps.list': (_input, ctx) => ok(ctx.store.record.allPumps()),
  'refills.preview': (input, ctx) => previewRefill(ctx, input),
  // The independent double check is requested in the entry's own transaction (verifications/).
  'refills.record': (input, ctx) => ctx.store.write(() => withDoubleCheck.refill(ctx, input.pumpId, () => recordRefill(ctx, input))),
  'doseChanges.preview': (input, ctx) => previewDoseChange(ctx, input),
  'doseChanges.record': (input, ctx) => ctx.store.write(() => withDoubleCheck.doseChange(ctx, input.pumpId, () => recordDoseChange(ctx, input))),
  'events.record': (input, ctx) => ctx.store.write(() => recordEvent(ctx, input)),
  'events.resolve': (input, ctx) => ctx.store.write(() => resolveEvent(ctx, input)),
  'events.mriPostScan': (input, ctx) => ctx.store.write(() => recordMriPostScan(ctx, input)),
  'reversals.record': (input, ctx) => ctx.store.write(() => recordReversal(ctx, input)),
  'removals.record': (input, ctx) => ctx.store.write(() => recordRemoval(ctx, input)),
  'restarts.record': (input, ctx) => ctx.store.write(() => withDoubleCheck.refill(ctx, input.pumpId, () => restartTherapy(ctx, input))),
  'worklist.get': (input, ctx) => {
    const settings = ctx.store.catalog.settings();
    const asOf = input.asOf ?? todayIn(settings.timeZone, ctx.now());
    return ok(worklist(ctx, asOf, input.days ?? settings.dueWindowDays, { category: input.category, limit: input.limit, offset: input.offset }));
  },
};
