/** `backups.*`: the Backups section of Settings and the recovery screen. */
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { FeatureHandlers, HandlerContext } from '../handler-types';
import type { BackupService } from './service';
import type { BackupOverview } from '../../../shared/contract/backups';

function withService<T>(ctx: HandlerContext, fn: (service: BackupService) => Result<T> | Promise<Result<T>>): Result<T> | Promise<Result<T>> {
  if (ctx.backups === undefined) return fail('internal', 'Backups are not available in this shell.');
  return fn(ctx.backups);
}

/** The overview with the folder setting's version (`store/versions.ts`). */
function withVersion(ctx: HandlerContext, r: Result<BackupOverview>): Result<BackupOverview> {
  return r.ok ? ok({ ...r.value, version: ctx.store.versions.of('backup_settings', null).version }) : r;
}

export const backupHandlers: FeatureHandlers<'backups.list' | 'backups.create' | 'backups.restore' | 'backups.configure'> = {
  'backups.list': (_input, ctx) => withService(ctx, (s) => withVersion(ctx, s.overview())),
  'backups.create': (_input, ctx) =>
    withService(ctx, async (s) => {
      const made = await s.create('manual');
      if (made.ok) ctx.audit.record({ action: 'backup', entity: 'database', entityId: made.value.name, detail: { folder: s.folder().folder } });
      return made;
    }),
  'backups.configure': (input, ctx) =>
    withService(ctx, (s) => {
      // Several people at once: a change based on an older folder setting is refused with the setting now.
      const stale = ctx.store.versions.check('backup_settings', null, input.basedOn, ctx.store.catalog.settings().timeZone, () => s.folder());
      if (stale) return stale;
      const before = s.folder();
      const result = s.configure(input.folder);
      if (result.ok) ctx.audit.record({ action: 'update', entity: 'backup_settings', entityId: null, before: { folder: before.folder }, after: { folder: result.value.folder } });
      return withVersion(ctx, result);
    }),
  // Verifies and chooses here; `services.ts` puts the backup in place once this request has answered
  // (it owns the connection, which must be closed first), and fills in `setAside`.
  'backups.restore': (input, ctx) =>
    withService(ctx, (s) => {
      const chosen = s.requestRestore(input.name, ctx.actor);
      if (!chosen.ok) return chosen;
      return ok({ restoredFrom: chosen.value.name, setAside: '', skipped: chosen.value.skipped });
    }),
};
