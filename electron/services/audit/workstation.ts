/**
 * The workstation a request came from, for the audit trail (issue 14: "the audit trail names the
 * workstation"). A server (`electron/web/server.ts`) runs each request inside `withWorkstation`
 * with the client's address and the host name its client sent; every audit entry written while the
 * request runs — by its handler, by sign-in and lock, by a denial, by a restore — records it
 * (`AuditLog.record` reads `currentWorkstation`). The context follows the request through its
 * awaits (AsyncLocalStorage), so no handler has to pass it on and none can forget to. Entries
 * written outside a request (the command line, the daily backup, the demo seed) have none.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import net from 'node:net';

/* The column `audit_log.workstation`: migration 14 (store/migrations/sqlite/0014-audit-workstation.ts). */

/** At most this many characters are stored (an address and a 63-character host name fit). */
export const WORKSTATION_MAX_LENGTH = 120;

const current = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it awaits) as a request from `workstation` (null: not from a workstation). */
export function withWorkstation<T>(workstation: string | null, fn: () => T): T {
  return workstation === null ? fn() : current.run(workstation.slice(0, WORKSTATION_MAX_LENGTH), fn);
}

/** The workstation of the request being served, or null. */
export function currentWorkstation(): string | null {
  return current.getStore() ?? null;
}

/**
 * How a workstation is named in the audit trail: the address the server saw (an IPv4-mapped IPv6
 * address as IPv4), and in front of it the host name the client says it has, when it sent a valid one:
 * `ROOM1-PC (10.0.0.21)`. The address is what the server saw; the name is what the client claims.
 */
export function describeWorkstation(address: string | undefined, hostName: string | null): string {
  let a = address ?? 'unknown address';
  if (a.toLowerCase().startsWith('::ffff:') && net.isIPv4(a.slice(7))) a = a.slice(7);
  return (hostName === null ? a : `${hostName} (${a})`).slice(0, WORKSTATION_MAX_LENGTH);
}
