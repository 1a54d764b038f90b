import type { Worklist, WorklistCategory } from '../../../../shared/contract/record';
import type { Store } from '../../store/store';
import { appointmentRepository } from '../appointments/repository';
import { verificationRepository } from '../verifications/repository';

/**
 * The worklist's counts, cached per "as of" date until anything is written (issue 14: 20
 * workstations refreshing the worklist made its counts about half of the clinic server's work).
 *
 * The rule that keeps them right: an entry is kept under the store's `changeStamp()`, which every
 * committed write changes — this process's, another process's or the command line's, through the
 * services or not (an import, a restore) — and is used only while the stamp is the same. Nothing
 * has to remember to invalidate it. Inside a transaction there is no stamp and nothing is cached.
 * Only counts are cached (a number per list, and how many pumps a list ranks first, which a page
 * needs to know where its second part starts); the rows of a page are always read afresh.
 * The cache is per process and per open store; several server processes on one database each keep
 * their own, correct as long as their store's stamp sees the others' commits (store.ts).
 */
type Counts = Worklist['counts'];

/** Distinct (as-of, window) keys kept at once; more are rare (a date picker), and the oldest go. */
const MAX_KEYS = 32;

class CountsCache {
  private stamp: string | null = null;
  private readonly entries = new Map<string, Counts | number>();

  /** The value under `key` for the store as it is now, computed on a miss. */
  get<T extends Counts | number>(store: Store, key: string, compute: () => T): T {
    const stamp = store.changeStamp();
    if (stamp === null) return compute();
    if (stamp !== this.stamp) {
      this.entries.clear();
      this.stamp = stamp;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit as T;
    const value = compute();
    // Computing reads only; should anything have been written meanwhile, the next stamp differs anyway.
    if (this.entries.size >= MAX_KEYS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
    return value;
  }
}

const caches = new WeakMap<Store, CountsCache>();

function cacheOf(store: Store): CountsCache {
  let cache = caches.get(store);
  if (cache === undefined) caches.set(store, (cache = new CountsCache()));
  return cache;
}

/** Every count of the worklist as of `asOf` with the due window ending `until`. */
export function worklistCounts(store: Store, asOf: string, until: string): Counts {
  // A copy: whoever changes the answer does not change the cached one.
  return { ...cacheOf(store).get(store, `counts ${asOf} ${until}`, (): Counts => {
    const c = store.record.worklistCounts(asOf, until);
    const appointments = appointmentRepository(store);
    return {
      running: c.running,
      attention: c.attention,
      empty: c.empty,
      alarm: c.alarm,
      severeAdverse: c.severe_adverse,
      overdue: c.overdue,
      due: c.due,
      replacementDue: c.replacement_due,
      flagged: c.flagged,
      openAdverseEvents: c.open_adverse,
      awaitingVerification: verificationRepository(store).awaitingCount(),
      // Overdue and due are disjoint and together "due by until" while until is not before asOf.
      dueNotBooked: appointments.dueNotBookedCount(asOf, until, until >= asOf ? c.overdue + c.due : undefined),
      callList: appointments.toCallCount(),
    };
  }) };
}

/** How many pumps of a list are ranked first (estimated empty, alarming, a severe open adverse event). */
export function worklistTopCount(store: Store, category: WorklistCategory, asOf: string, until: string): number {
  return cacheOf(store).get(store, `top ${category} ${asOf} ${until}`, () => store.record.worklistTopCount(category, asOf, until));
}
