/**
 * How this workstation runs (issue 14, item 2), kept per workstation in `<userData>/workstation.json`:
 * `{ "mode": "local" }` — the embedded database on this computer, as before — or
 * `{ "mode": "server", "url": "https://…", "fingerprint": "AA:BB:…" }` — connected to the clinic
 * server at `url`, trusting only the certificate whose SHA-256 fingerprint is `fingerprint` (the form
 * `reservoir serve` prints). Validated with zod on every read; a damaged file is a clear message and
 * the choice screen, never a crash. Written owner-only (0600) and atomically (a temporary file in the
 * same folder, then a rename), so a crash never leaves half a file. Plain Node: no Electron here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../../shared/contract/result';
import { PRIVATE_FILE_MODE } from '../services/store/private-files';
import { normaliseFingerprint } from '../../shared/contract/workstation';

export const WORKSTATION_CONFIG_FILE = 'workstation.json';

/** A SHA-256 fingerprint as `reservoir serve` prints it: 32 pairs of hex digits joined by colons. */
export const FINGERPRINT_TEXT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

export { normaliseFingerprint };

/** The clinic server's address: https only, a host, no user name or password, no query. */
export const serverUrlSchema = z
  .string()
  .trim()
  .min(1, 'the clinic server address is empty')
  .max(300, 'the clinic server address is longer than 300 characters')
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not an address (for example https://reservoir.clinic.local:8443)` });
      return;
    }
    if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'the clinic server address must start with https:// (workstations speak to the server over HTTPS only)' });
    if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'the clinic server address must not contain a user name or password' });
    if (url.search !== '' || url.hash !== '') ctx.addIssue({ code: 'custom', message: 'the clinic server address must not contain ? or #' });
  });

export const workstationConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('local') }).strict(),
  z
    .object({
      mode: z.literal('server'),
      url: serverUrlSchema,
      fingerprint: z.preprocess((v) => (typeof v === 'string' ? normaliseFingerprint(v) : v), z.string().regex(FINGERPRINT_TEXT, 'the fingerprint must be the SHA-256 fingerprint the clinic server prints: 32 pairs like AA:BB:…')),
    })
    .strict(),
]);

export type WorkstationConfig = z.infer<typeof workstationConfigSchema>;

/** The origin the workstation talks to (`https://host:port`), without any path the person typed. */
export function serverOrigin(url: string): string {
  return new URL(url).origin;
}

export type ReadConfig =
  /** No file yet: the first run, the choice screen. */
  | { state: 'unset' }
  | { state: 'ok'; config: WorkstationConfig }
  /** A file that cannot be used: its message, then the choice screen. */
  | { state: 'damaged'; message: string };

/** Reads and validates the configuration in `userData`; never throws. */
export function readWorkstationConfig(userData: string): ReadConfig {
  const file = path.join(userData, WORKSTATION_CONFIG_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'unset' };
    return { state: 'damaged', message: `This workstation's settings (${file}) cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}). Choose again how this computer runs Reservoir.` };
  }
  if (process.platform !== 'win32') {
    try {
      const mode = fs.statSync(file).mode & 0o777;
      // Others could have changed where this workstation sends passwords and patient data.
      if ((mode & 0o022) !== 0) {
        return { state: 'damaged', message: `This workstation's settings (${file}) can be changed by other accounts on this computer (mode ${mode.toString(8).padStart(4, '0')}), so they were not trusted. Choose again how this computer runs Reservoir; the new file is made owner-only.` };
      }
    } catch {
      // read above succeeded; a vanished file is read as damaged below only if its text was bad
    }
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { state: 'damaged', message: `This workstation's settings (${file}) are damaged (not JSON). Choose again how this computer runs Reservoir.` };
  }
  const parsed = workstationConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { state: 'damaged', message: `This workstation's settings (${file}) are damaged (${where}${issue?.message ?? 'not valid'}). Choose again how this computer runs Reservoir.` };
  }
  return { state: 'ok', config: parsed.data };
}

/** Validates and writes the configuration owner-only and atomically. */
export function writeWorkstationConfig(userData: string, config: unknown): Result<WorkstationConfig> {
  const parsed = workstationConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('invalid_input', `The workstation setting ${issue?.path.join('.') || 'mode'} is not valid: ${issue?.message ?? 'not valid'}.`, issue?.path.join('.') || 'mode');
  }
  const value: WorkstationConfig = parsed.data;
  const file = path.join(userData, WORKSTATION_CONFIG_FILE);
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(userData, { recursive: true, mode: 0o700 });
    fs.writeFileSync(partial, `${JSON.stringify(value, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, flag: 'w' });
    if (process.platform !== 'win32') fs.chmodSync(partial, PRIVATE_FILE_MODE);
    fs.renameSync(partial, file);
  } catch (e) {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // nothing more to do
    }
    return fail('read_only', `This workstation's settings could not be saved in ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was changed.`);
  }
  return ok(value);
}
