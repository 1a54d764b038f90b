import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { postgresUnavailable, startPostgres, type TestCluster } from './postgres';

// Skipped only where no PostgreSQL server binaries exist; never on CI (.ci/run installs them).
const unavailable = postgresUnavailable();
if (unavailable !== null && process.env.CI) throw new Error(`CI must run the PostgreSQL tests: ${unavailable}`);
const describePg = unavailable === null ? describe : describe.skip;
if (unavailable !== null) console.warn(`postgres.test.ts skipped: ${unavailable}`);

const root = path.resolve(import.meta.dirname, '../../../..');
const started: TestCluster[] = [];
afterEach(async () => {
  // Also when a test failed half-way: no cluster outlives its test.
  await Promise.all(started.splice(0).map((c) => c.stop()));
});

async function cluster(): Promise<TestCluster> {
  const c = await startPostgres();
  started.push(c);
  return c;
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** A child process that starts a cluster (and with 'exit', ends at once): its cluster's folder and port. */
async function childCluster(...args: string[]): Promise<{ orphan: { dir: string; port: number }; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'postgres-child.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => (out.includes('\n') ? undefined : reject(new Error(`the child ended (${code}) before starting its cluster`))));
  });
  return { orphan: JSON.parse(line) as { dir: string; port: number }, child };
}

describePg('a throwaway PostgreSQL for tests (issue 15, Tests and CI)', () => {
  it('starts a cluster of its own on 127.0.0.1 and a free port; pg connects and it answers its version', async () => {
    const c = await cluster();
    expect(c.url).toBe(`postgres://postgres@127.0.0.1:${c.port}/postgres`);
    const [row] = await query<{ version: string }>(c.url, 'SELECT version()');
    expect(row!.version).toMatch(new RegExp(`^PostgreSQL ${c.version}\\.\\d+`));
    expect(c.version).toBeGreaterThanOrEqual(15); // Debian 12's postgresql is 15
    expect(fs.statSync(path.join(c.dir, 'data', 'PG_VERSION')).isFile()).toBe(true);
  }, 90_000);

  it('a second cluster runs beside it, each with its own data', async () => {
    const [a, b] = [await cluster(), await cluster()];
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    await query(a.url, 'CREATE TABLE only_in_a (x int)');
    const tables = async (url: string) => (await query<{ n: string }>(url, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'only_in_a'"))[0]!.n;
    expect([await tables(a.url), await tables(b.url)]).toEqual(['1', '0']);
  }, 120_000);

  it('after stop the folder is gone and the port closed; stopping again does nothing', async () => {
    const c = await startPostgres();
    expect(await portOpen(c.port)).toBe(true);
    await c.stop();
    expect(fs.existsSync(c.dir)).toBe(false);
    expect(await portOpen(c.port)).toBe(false);
    await c.stop();
  }, 90_000);

  it('a process that ends without stopping its cluster stops it on exit', async () => {
    const { orphan, child } = await childCluster('exit');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    expect(fs.existsSync(orphan.dir)).toBe(false);
    expect(await portOpen(orphan.port)).toBe(false);
  }, 90_000);

  it('a cluster whose process was killed (SIGKILL: no exit handler ran) is stopped and removed by the next start', async () => {
    const { orphan, child } = await childCluster();
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await portOpen(orphan.port)).toBe(true); // left running: nobody could stop it
    await cluster(); // the next start sweeps it
    expect(fs.existsSync(orphan.dir)).toBe(false);
    expect(await portOpen(orphan.port)).toBe(false);
  }, 120_000);
});
