/**
 * What each audited request touches, so `dispatch` can record it without the handlers having to
 * remember: for writes, the record before (read in the same transaction, before the handler runs)
 * and after (the handler's answer); for views and exports, which record. The compiler refuses a
 * request declared `create`, `update`, `view` or `export` in REQUEST_POLICY without an entry here.
 */
import type { OutputOf, ParsedInputOf, RequestName } from '../../../shared/contract';
import type { AuditEntity } from '../../../shared/contract/audit';
import { REQUEST_POLICY } from '../../../shared/contract/roles';
import type { HandlerContext } from '../handler-types';

type Policy = typeof REQUEST_POLICY;
/** Requests whose audit entry `dispatch` writes. */
export type AuditedRequest = {
  [K in RequestName]: Policy[K]['audit'] extends 'create' | 'update' | 'view' | 'export' ? K : never;
}[RequestName];

export interface AuditSubject<K extends RequestName> {
  entity: AuditEntity;
  /** The record as it was, read in the write's transaction before the handler runs (updates). */
  before?: (ctx: HandlerContext, input: ParsedInputOf<K>) => unknown;
  /** Which record, whose patient, and what to keep as the value after. */
  describe: (
    input: ParsedInputOf<K>,
    output: OutputOf<K>,
    ctx: HandlerContext,
  ) => { entityId: string | number | null; patientId: number | null; after?: unknown; detail?: Record<string, unknown> };
}

const pumpPatient = (ctx: HandlerContext, pumpId: number): number | null => ctx.store.record.pump(pumpId)?.patientId ?? null;

/**
 * An entry recorded beyond a soft limit of the drug library names its override in the audit entry's
 * detail: the reason typed and the limits crossed (issue 17, item 1). Nothing when none was crossed.
 */
const overrideDetail = (ctx: HandlerContext, entry: 'refill' | 'dose_change', e: { id: number; overrideReason: string | null }): Record<string, unknown> =>
  e.overrideReason === null ? {} : { override: { reason: e.overrideReason, limits: ctx.store.record.overrideLimits(entry, e.id) } };

export const AUDIT_SUBJECTS: { [K in AuditedRequest]: AuditSubject<K> } = {
  'patients.create': { entity: 'patient', describe: (_i, p) => ({ entityId: p.id, patientId: p.id, after: p }) },
  'patients.get': { entity: 'patient', describe: (i) => ({ entityId: i.id, patientId: i.id }) },
  'patients.update': {
    entity: 'patient',
    before: (ctx, i) => ctx.store.patients.get(i.id),
    describe: (_i, p) => ({ entityId: p.id, patientId: p.id, after: p }),
  },
  'settings.update': {
    entity: 'settings',
    before: (ctx) => ctx.store.catalog.settings(),
    describe: (_i, s) => ({ entityId: null, patientId: null, after: s }),
  },
  'drugs.save': {
    entity: 'drug',
    before: (ctx, i) => (i.id === undefined ? null : ctx.store.catalog.drugById(i.id)),
    describe: (_i, d) => ({ entityId: d.id, patientId: null, after: d }),
  },
  'devices.save': {
    entity: 'device_model',
    before: (ctx, i) => (i.id === undefined ? null : ctx.store.catalog.deviceById(i.id)),
    describe: (_i, d) => ({ entityId: d.id, patientId: null, after: d }),
  },
  'pumps.implant': { entity: 'pump', describe: (_i, p) => ({ entityId: p.id, patientId: p.patientId, after: p }) },
  'refills.record': {
    entity: 'refill',
    describe: (_i, r, ctx) => ({
      entityId: r.refill.id,
      patientId: pumpPatient(ctx, r.refill.pumpId),
      after: r.refill,
      detail: { warnings: r.warnings, ...overrideDetail(ctx, 'refill', r.refill) },
    }),
  },
  'doseChanges.record': {
    entity: 'dose_change',
    // Every drug before and after: an admixture's drugs all change with the one flow rate.
    describe: (_i, r, ctx) => ({
      entityId: r.doseChange.id,
      patientId: pumpPatient(ctx, r.doseChange.pumpId),
      after: r.doseChange,
      detail: { warnings: r.warnings, drugs: r.drugs, ...overrideDetail(ctx, 'dose_change', r.doseChange) },
    }),
  },
  'events.record': { entity: 'event', describe: (_i, e) => ({ entityId: e.id, patientId: e.patientId, after: e }) },
  'events.resolve': {
    entity: 'event',
    before: (ctx, i) => ctx.store.record.event(i.eventId),
    describe: (_i, e) => ({ entityId: e.id, patientId: e.patientId, after: e }),
  },
  'events.mriPostScan': {
    entity: 'event',
    before: (ctx, i) => ctx.store.record.event(i.eventId),
    describe: (_i, e) => ({ entityId: e.id, patientId: e.patientId, after: e }),
  },
  'reversals.record': {
    entity: 'pump',
    before: (ctx, i) => ctx.store.record.pump(i.pumpId),
    describe: (i, p, ctx) => ({ entityId: p.id, patientId: p.patientId, after: { pump: p, reversal: ctx.store.record.reversal(i.pumpId) } }),
  },
  'restarts.record': {
    entity: 'pump',
    before: (ctx, i) => ctx.store.record.pump(i.pumpId),
    describe: (i, r, ctx) => ({
      entityId: r.pump.id,
      patientId: r.pump.patientId,
      after: { pump: r.pump, restart: ctx.store.record.restarts(i.pumpId).at(-1) ?? null, refill: r.refill },
      detail: { warnings: r.warnings, ...overrideDetail(ctx, 'refill', r.refill) },
    }),
  },
  'removals.record': {
    entity: 'pump',
    before: (ctx, i) => ctx.store.record.pump(i.pumpId),
    describe: (i, r, ctx) => ({
      entityId: r.removed.id,
      patientId: r.removed.patientId,
      after: { pump: r.removed, removal: ctx.store.record.removal(i.pumpId), replacement: r.replacement },
    }),
  },
  'access.update': {
    entity: 'access_settings',
    before: (ctx) => ctx.store.accounts.access(),
    describe: (_i, a) => ({ entityId: null, patientId: null, after: a }),
  },
  'audit.export': {
    entity: 'audit_log',
    describe: (i, out) => ({ entityId: null, patientId: i.patientId ?? null, detail: { filter: i, rows: out.rows } }),
  },
};
