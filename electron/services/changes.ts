/**
 * Live updates: the services publish a notice after each committed write (dispatch, in one place),
 * and a shell forwards them to whoever listens (the browser shell: `GET /api/events`,
 * `electron/web/events.ts`). A connected workstation could forward the same notices from a clinic
 * server to its window later (docs/architecture.md, "Several people at once").
 */
import { CHANGE_OF, type ChangeNotice } from '../../shared/contract/changes';
import type { RequestName } from '../../shared/contract/names';
import type { Store } from './store/store';

export type ChangeListener = (notice: ChangeNotice) => void;

/** Listeners of one opened database; closing it ends every subscription (a restore: everyone signs in again). */
export class ChangeFeed {
  private readonly listeners = new Map<ChangeListener, () => void>();

  /** `end` is called when the feed closes. Answers the unsubscribe. */
  subscribe(listener: ChangeListener, end: () => void): () => void {
    this.listeners.set(listener, end);
    return () => void this.listeners.delete(listener);
  }

  publish(notice: ChangeNotice): void {
    for (const listener of [...this.listeners.keys()]) {
      try {
        listener(notice);
      } catch (e) {
        console.error('[reservoir] a change listener failed:', (e as Error).message);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  close(): void {
    const ends = [...this.listeners.values()];
    this.listeners.clear();
    for (const end of ends) end();
  }
}

const id = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : null);

/**
 * The notice of a request that succeeded, or null (a read). Only kinds and ids: which patient
 * (looked up from the pump when the request names a pump) and which pump.
 */
export function noticeOf(request: RequestName, input: unknown, output: unknown, store: Store): ChangeNotice | null {
  const kind = CHANGE_OF[request];
  if (kind === null) return null;
  const i = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const o = (typeof output === 'object' && output !== null ? output : {}) as Record<string, unknown>;
  if (kind !== 'patient' && kind !== 'record') return { kind, patientId: null, pumpId: null };
  const pumpId = id(i.pumpId) ?? id(o.pumpId) ?? (request === 'pumps.implant' ? id(o.id) : null);
  let patientId = id(i.patientId) ?? id(o.patientId) ?? (kind === 'patient' ? (id(i.id) ?? id(o.id)) : null);
  if (patientId === null && pumpId !== null) patientId = store.record.pump(pumpId)?.patientId ?? null;
  return { kind, patientId, pumpId };
}
