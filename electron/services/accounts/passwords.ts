/**
 * Password hashing with scrypt (memory-hard, node:crypto). The parameters and salt are stored
 * with each hash — `scrypt$N$r$p$salt$hash` — so a later, stronger cost still verifies old hashes
 * (and `weakerThan` tells sign-in to rehash them).
 *
 * Every derivation in the process goes through one `WorkLimit` of 2: at the standard cost one
 * derivation holds 128 MiB, so 40 sign-ins at once wait their turn instead of taking 5 GiB.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB per derivation; about 0.5 s on the
 * 2-core test machine, see docs/security.md).
 */
export const STANDARD_COST: ScryptCost = { N: 1 << 17, r: 8, p: 1 };
/** For tests only: fast. Never used by the shells. */
export const TEST_COST: ScryptCost = { N: 1 << 10, r: 8, p: 1 };
/** At most this many scrypt derivations run at once in the process. */
export const MAX_CONCURRENT_DERIVATIONS = 2;

const KEY_LENGTH = 32;
/** The most a stored hash may ask for (1 GiB): a damaged or planted hash cannot exhaust memory. */
const MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

/** Runs at most `max` tasks at a time; the others wait in arrival order. */
export class WorkLimit {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.max) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve)); // a finishing task hands over its slot
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

const scryptWork = new WorkLimit(MAX_CONCURRENT_DERIVATIONS);

/** Told when a derivation starts (with its cost); the function it answers is called when it ends. */
export type DerivationObserver = (cost: ScryptCost) => (() => void) | void;
const observers = new Set<DerivationObserver>();
/** Watches every scrypt derivation of this process (tests count them); answers how to stop watching. */
export function observeDerivations(observer: DerivationObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

const memoryOf = (cost: ScryptCost): number => 128 * cost.r * (cost.N + cost.p);

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: memoryOf(cost) + 1024 * 1024 };
  return scryptWork.run(async () => {
    const ends = [...observers].map((o) => o(cost));
    try {
      return await new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
      );
    } finally {
      for (const end of ends) end?.();
    }
  });
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return null;
  if (N < 2 || (N & (N - 1)) !== 0 || memoryOf({ N, r, p }) > MAX_MEMORY_BYTES || p > 16) return null;
  const key = Buffer.from(parts[5]!, 'base64');
  if (key.length !== KEY_LENGTH) return null;
  return { cost: { N, r, p }, salt: Buffer.from(parts[4]!, 'base64'), key };
}

export async function hashPassword(password: string, cost: ScryptCost = STANDARD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when `password` matches `stored`. A malformed stored hash never matches (and costs no derivation). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}

/**
 * True when `stored` was hashed with less memory or less work than `cost` (or cannot be read):
 * sign-in then rehashes it at `cost`.
 */
export function weakerThan(stored: string, cost: ScryptCost): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const c = parsed.cost;
  return c.N * c.r < cost.N * cost.r || c.N * c.r * c.p < cost.N * cost.r * cost.p;
}

/**
 * A well-formed hash at `cost` that no password matches (random salt and key, no derivation spent
 * making it). Verifying against it costs exactly what verifying a real hash at `cost` does, so an
 * unknown username takes as long as a wrong password.
 */
export function decoyHash(cost: ScryptCost): string {
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${randomBytes(16).toString('base64')}$${randomBytes(KEY_LENGTH).toString('base64')}`;
}
