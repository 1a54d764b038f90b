/**
 * One answer shared by everyone who asks for the same data at about the same time (a record's
 * charts, its forms and its signatures each need the clinic settings): a request made less than
 * `freshMs` ago is answered again instead of asking the main side once more. A refusal or a
 * failure is not kept (the next caller asks again), and `forget` drops the answer after a change.
 */
import type { Result } from '../../../shared/contract/result';

export class SharedRequest<T> {
  private entry: { promise: Promise<Result<T>>; startedMs: number; arrived: { value: T } | null } | null = null;

  constructor(
    private readonly request: () => Promise<Result<T>>,
    private readonly freshMs: number,
  ) {}

  get(): Promise<Result<T>> {
    const now = Date.now();
    if (this.entry !== null && now - this.entry.startedMs < this.freshMs) return this.entry.promise;
    const entry: NonNullable<typeof this.entry> = { promise: this.request(), startedMs: now, arrived: null };
    const drop = () => {
      if (this.entry === entry) this.entry = null;
    };
    void entry.promise.then((r) => (r.ok ? (entry.arrived = { value: r.value }) : drop()), drop);
    this.entry = entry;
    return entry.promise;
  }

  /** The fresh answer if it has arrived (a render can use it at once), else null. */
  peek(): T | null {
    const e = this.entry;
    return e !== null && e.arrived !== null && Date.now() - e.startedMs < this.freshMs ? e.arrived.value : null;
  }

  /** The data changed (it was just saved): the next caller asks afresh. */
  forget(): void {
    this.entry = null;
  }
}
