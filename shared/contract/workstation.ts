/**
 * How this desktop workstation runs (issue 14, item 2): on its own embedded database, or connected
 * to the clinic server. Answered by the Electron main process itself (electron/main/workstation.ts),
 * never forwarded; the browser shell and the clinic server refuse them. The server's fingerprint is
 * what `reservoir serve` prints: SHA-256 of its certificate, 32 pairs of hex digits.
 */
import { z } from 'zod';

/** Upper case, colons between pairs (as `reservoir serve` prints it): what the person may have typed with spaces or lower case; other text trimmed. */
export function normaliseFingerprint(text: string): string {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  return /^[0-9A-F]{64}$/.test(hex) ? hex.match(/../g)!.join(':') : text.trim();
}

export const workstationProbeInput = z.object({ url: z.string().trim().min(1, 'is required').max(300, 'is longer than 300 characters') }).strict();
export const workstationSetInput = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }).strict(),
  z
    .object({
      mode: z.literal('server'),
      url: z.string().trim().min(1, 'is required').max(300, 'is longer than 300 characters'),
      fingerprint: z.string().trim().min(1, 'is required').max(200, 'is too long'),
    })
    .strict(),
]);

export type WorkstationMode = { mode: 'local' } | { mode: 'server'; url: string; fingerprint: string };

export interface WorkstationInfo {
  /** Null on the first run, or when the settings file was damaged (then `problem` says so). */
  current: WorkstationMode | null;
  /** Why the choice is asked again (a damaged settings file), for the person at the screen. */
  problem: string | null;
  /**
   * Whether the person at the console may change the choice now: on the first run anyone at this
   * computer; later only a signed-in Reservoir administrator (of the database or server in use).
   */
  mayChange: boolean;
}

export interface WorkstationProbe {
  /** `https://host:port` */
  origin: string;
  /** The fingerprint the server presents now, to compare with what the clinic's IT gave. */
  fingerprint: string;
  /** The server's Reservoir version. */
  serverVersion: string;
}
