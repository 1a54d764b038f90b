/**
 * A real clinic server for tests: `reservoir serve` as a child process (bin/reservoir.mjs), as
 * clinic IT runs it, on every interface with its self-signed certificate (HTTPS), on a fresh or
 * given database. Answers once it printed its address, fingerprint and database line.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';

const root = path.resolve(import.meta.dirname, '../../..');

export interface ClinicServer {
  /** `https://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** The certificate's SHA-256 fingerprint, as printed (`AA:BB:…`). */
  fingerprint: string;
  out(): string;
  err(): string;
  /** Stops it (SIGTERM: the clean stop; SIGKILL: at once) and resolves with its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ClinicServerOptions {
  /** The database file (made on first start, unencrypted: `--plain`). */
  db: string;
  /** Working folder; its `keys/` holds the key files. */
  dir: string;
  /** 0 (default): any free port; a fixed one to start the same server again. */
  port?: number;
  extraArgs?: string[];
}

export function startClinicServer(options: ClinicServerOptions): Promise<ClinicServer> {
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(
    process.execPath,
    [path.join(root, 'bin/reservoir.mjs'), 'serve', '--db', options.db, '--plain', '--host', '0.0.0.0', '--port', String(options.port ?? 0), ...(options.extraArgs ?? [])],
    { cwd: options.dir, env: { ...process.env, RESERVOIR_KEYS_DIR: path.join(options.dir, 'keys') }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    void exited.then((code) => reject(new Error(`reservoir serve exited ${code} before listening: ${err}`)));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const at = /listening at (https:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
      const pin = /SHA-256 fingerprint: (\S+)/.exec(out);
      if (at && pin && /^Database: /m.test(out)) {
        resolve({
          url: at[1]!,
          port: Number(at[2]),
          fingerprint: pin[1]!,
          out: () => out,
          err: () => err,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}
