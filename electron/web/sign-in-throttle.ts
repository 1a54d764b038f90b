/**
 * Failed sign-ins per client address. The accounts lock after 5 wrong passwords each
 * (`accounts/attempts.ts`), which stops guessing one password; a server on the clinic network also
 * stops one machine from trying many accounts (and locking everyone out): after `limit` failed
 * sign-ins or unlocks from one address within `windowMs`, that address's next attempts are refused
 * without being tried until the oldest failure is older than the window.
 */
export const SIGN_IN_FAILURES_PER_ADDRESS = 20;
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
/** Addresses remembered at most (the oldest are forgotten first). */
const MAX_ADDRESSES = 10_000;

export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = SIGN_IN_FAILURES_PER_ADDRESS,
    private readonly windowMs = SIGN_IN_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(address);
    else this.failures.set(address, kept);
    return kept;
  }

  /** Milliseconds until `address` may try again, or null when it may now. */
  blockedFor(address: string): number | null {
    const recent = this.recent(address);
    if (recent.length < this.limit) return null;
    return recent[recent.length - this.limit]! + this.windowMs - this.now();
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    this.failures.delete(address);
    this.failures.set(address, [...recent, this.now()]);
    if (this.failures.size > MAX_ADDRESSES) this.failures.delete(this.failures.keys().next().value!);
  }
}
