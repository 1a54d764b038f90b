/**
 * A request started before the screen that needs it renders (as the address changes, or beside
 * another request), and taken once by that screen: the same answer without a second round trip.
 * One is kept at a time; an older one than `freshMs` is not used (the data may have changed since),
 * nor one for another key.
 */
export class EarlyRequest<K, T> {
  private entry: { key: K; promise: Promise<T>; startedMs: number; arrived: { value: T } | null } | null = null;

  constructor(private readonly freshMs: number) {}

  /** Starts `request` now for `key` (replacing any earlier one). */
  start(key: K, request: () => Promise<T>): void {
    const entry: NonNullable<typeof this.entry> = { key, promise: request(), startedMs: Date.now(), arrived: null };
    void entry.promise.then((value) => (entry.arrived = { value }));
    this.entry = entry;
  }

  /** Forgets the early request (the address went elsewhere). */
  drop(): void {
    this.entry = null;
  }

  /** Its answer, if it has arrived and is fresh, without taking it (a render can use it at once). */
  peek(key: K): T | null {
    const e = this.fresh(key);
    return e?.arrived ? e.arrived.value : null;
  }

  /** The early request for `key` if there is a fresh one, else `request()` now; either way it is used up. */
  take(key: K, request: () => Promise<T>): Promise<T> {
    const e = this.fresh(key);
    this.entry = null;
    return e ? e.promise : request();
  }

  private fresh(key: K) {
    const e = this.entry;
    return e !== null && e.key === key && Date.now() - e.startedMs < this.freshMs ? e : null;
  }
}
