/**
 * Test support: a throwaway PostgreSQL cluster (issue 15, "Tests and CI"). Debian's server binaries
 * (/usr/lib/postgresql/<version>/bin, the newest found; RESERVOIR_PG_BIN overrides) run a cluster of
 * its own in a fresh temp folder, on 127.0.0.1 and a free port, its socket in that folder, trust
 * authentication for the `postgres` superuser: nothing of the machine's own PostgreSQL service is
 * used (it need not run, or exist as a cluster at all).
 *
 * PostgreSQL refuses to run as root: as root (CI, these machines) the folder is given to the
 * `postgres` user and initdb and pg_ctl run as it (`runuser -u postgres --`); as anyone else they
 * run as that user.
 *
 * `stop()` stops the server (`pg_ctl stop -m fast`) and removes the folder. A process that ends
 * without calling it stops its clusters on `exit` (best effort); one killed outright (SIGKILL)
 * cannot, so each folder names its owner's pid and the next `startPostgres` stops and removes the
 * clusters of owners no longer running.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The prefix of every cluster's temp folder (the stale-cluster sweep looks for it). */
export const CLUSTER_PREFIX = 'reservoir-pg-';

export interface TestCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` */
  readonly url: string;
  readonly port: number;
  /** The temp folder: `data/` (the cluster), the socket, `server.log`, `owner.pid`. */
  readonly dir: string;
  /** The server's major version (the binaries' folder: 15). */
  readonly version: number;
  /** Stops the server and removes the folder; again: nothing. */
  stop(): Promise<void>;
}

/** The folder of the newest PostgreSQL server binaries (with initdb and pg_ctl), or null. */
export function postgresBinDir(): string | null {
  const override = process.env.RESERVOIR_PG_BIN;
  if (override) return fs.existsSync(path.join(override, 'initdb')) ? override : null;
  const root = '/usr/lib/postgresql';
  let versions: string[];
  try {
    versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(root, v, 'bin', 'initdb')) && fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')));
  } catch {
    return null;
  }
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

const isRoot = () => process.getuid?.() === 0;

/**
 * Why no throwaway cluster can run here (a test skips with it), or null when one can. On CI it is
 * never a reason to skip: `.ci/run` installs Debian's `postgresql` (the tests fail instead).
 */
export function postgresUnavailable(): string | null {
  if (process.platform === 'win32') return 'the throwaway PostgreSQL cluster needs Linux or macOS';
  if (postgresBinDir() === null) {
    return 'no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin: install Debian’s postgresql package, or set RESERVOIR_PG_BIN';
  }
  if (isRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root without a postgres user to run the cluster as (PostgreSQL refuses root)';
    }
  }
  return null;
}

/** A command as the cluster's user: `runuser -u postgres -- …` as root, itself otherwise. */
function asOwner(command: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A port free on 127.0.0.1 now (the server is started on it right after; a lost race is retried). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Clusters of this process not yet stopped (stopped on exit). */
const live = new Map<string, { bin: string; data: string }>();
let exitHookInstalled = false;

function stopNow(bin: string, data: string, dir: string): void {
  try {
    const [cmd, args] = asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop']);
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 15_000 });
  } catch {
    // not running (any more)
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [dir, c] of live) stopNow(c.bin, c.data, dir);
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Stops and removes the clusters left by processes that no longer run (killed before they could). */
export function sweepStaleClusters(bin: string | null = postgresBinDir()): string[] {
  const swept: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(CLUSTER_PREFIX));
  } catch {
    return swept;
  }
  for (const name of names) {
    const dir = path.join(os.tmpdir(), name);
    let owner: number;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // being set up, or not ours
    }
    if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) continue;
    if (bin !== null) stopNow(bin, path.join(dir, 'data'), dir);
    else fs.rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

/** Initialises and starts a throwaway cluster; answers once it accepts connections. */
export async function startPostgres(): Promise<TestCluster> {
  const unavailable = postgresUnavailable();
  if (unavailable !== null) throw new Error(`Cannot start a test PostgreSQL: ${unavailable}.`);
  const bin = postgresBinDir()!;
  const version = Number(/postgres (?:\(PostgreSQL\) )?(\d+)/.exec((await run(path.join(bin, 'postgres'), ['--version'])).stdout)?.[1] ?? path.basename(path.dirname(bin)));
  sweepStaleClusters(bin);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), CLUSTER_PREFIX));
  const data = path.join(dir, 'data');
  fs.writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  live.set(dir, { bin, data });
  installExitHook();
  try {
    if (isRoot()) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      fs.chownSync(dir, uid, gid);
    }
    const [initCmd, initArgs] = asOwner(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    await run(initCmd, initArgs, { cwd: dir });

    let lastError: unknown = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      // fsync off: a test cluster need not survive a power cut; it is thrown away.
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      const [ctlCmd, ctlArgs] = asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      try {
        await run(ctlCmd, ctlArgs, { cwd: dir });
      } catch (e) {
        lastError = e; // most likely the port was taken in between: another one
        continue;
      }
      let stopped = false;
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        port,
        dir,
        version,
        async stop() {
          if (stopped) return;
          stopped = true;
          try {
            const [stopCmd, stopArgs] = asOwner(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
            await run(stopCmd, stopArgs, { cwd: dir });
          } finally {
            live.delete(dir);
            fs.rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    }
    const log = fs.existsSync(path.join(dir, 'server.log')) ? fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000) : '';
    throw new Error(`The test PostgreSQL did not start: ${(lastError as Error)?.message ?? 'unknown'}\n${log}`);
  } catch (e) {
    live.delete(dir);
    stopNow(bin, data, dir);
    throw e;
  }
}
