/**
 * The command line and the browser shell run from their esbuild bundles (dist-electron/cli.cjs and
 * web.cjs) with nothing of node_modules but the native driver: the layout the installers ship
 * (electron-builder.yml) and the proof that the bundles carry exceljs, zod, csv-* and the rest.
 * The bundles are built into a temp folder outside the checkout, beside a node_modules holding only
 * better-sqlite3-multiple-ciphers and what it loads at run time, so any other require() would fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../electron/cli/args';
import { mainAsync } from '../electron/cli/main';
// @ts-expect-error: a plain ESM script without types
import { RUNTIME_PACKAGES as RUNTIME } from './lib/runtime-packages.mjs';

const root = path.resolve(import.meta.dirname, '..');
/** What the packaged app keeps of node_modules (electron-builder.yml; packaging.test.ts checks the list). */
const RUNTIME_PACKAGES = RUNTIME as string[];

let dir: string;
let app: string;
const bundle = (name: string) => path.join(app, 'dist-electron', name);

/** The launcher's three lines (bin/reservoir.mjs, bundle branch), run from the isolated folder. */
const LAUNCH = `const cli = require(process.env.CLI_BUNDLE); cli.restrictUmask(); cli.mainAsync(process.argv.slice(2)).then((c) => { process.exitCode = c; });`;

function isolatedEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CLI_BUNDLE: bundle('cli.cjs') };
  delete env.NODE_PATH;
  delete env.NODE_OPTIONS;
  return env;
}

function runBundle(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'launch.cjs'), ...args], { cwd: dir, env: isolatedEnv(), encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same command line from the TypeScript sources, in this process. */
async function runSource(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), now: Date.now };
  const code = await mainAsync(args, io);
  return { code, out, err };
}

function copyRuntimePackages(target: string): void {
  const from = (name: string) => path.join(root, 'node_modules', name);
  const sqlite = from('better-sqlite3-multiple-ciphers');
  const to = path.join(target, 'node_modules', 'better-sqlite3-multiple-ciphers');
  fs.mkdirSync(path.join(to, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(path.join(sqlite, 'package.json'), path.join(to, 'package.json'));
  fs.cpSync(path.join(sqlite, 'lib'), path.join(to, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(sqlite, 'build', 'Release', 'better_sqlite3.node'), path.join(to, 'build', 'Release', 'better_sqlite3.node'));
  expect(RUNTIME_PACKAGES).toEqual(['better-sqlite3-multiple-ciphers', 'bindings', 'file-uri-to-path']);
  for (const name of RUNTIME_PACKAGES.slice(1)) fs.cpSync(from(name), path.join(target, 'node_modules', name), { recursive: true });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bundles-'));
  app = path.join(dir, 'app');
  const { buildElectron } = (await import(pathToFileURL(path.join(root, 'scripts/build-electron.mjs')).href)) as {
    buildElectron: (o: { root: string; outdir: string }) => Promise<unknown>;
  };
  await buildElectron({ root, outdir: path.join(app, 'dist-electron') });
  copyRuntimePackages(app);
  fs.writeFileSync(path.join(dir, 'launch.cjs'), LAUNCH);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dist-electron/cli.cjs under Node, with node_modules holding only the native driver', () => {
  it('the isolation is real: exceljs, zod, playwright-core and tsx cannot be found from there', () => {
    for (const name of ['exceljs', 'zod', 'playwright-core', 'tsx', 'csv-parse']) {
      const r = spawnSync(process.execPath, ['-e', `require.resolve(${JSON.stringify(name)})`], { cwd: app, env: isolatedEnv(), encoding: 'utf8' });
      expect(r.status, name).not.toBe(0);
    }
  });

  it('--help: the same text as the sources, exit 0', async () => {
    const bundled = runBundle(['--help']);
    expect(bundled).toEqual({ code: 0, out: (await runSource(['--help'])).out, err: '' });
    expect(bundled.out).toMatch(/^Usage: reservoir <command>/);
  });

  it('bad usage: the same message and exit 2', async () => {
    for (const args of [['wrklist'], ['worklist', '--format', 'csv'], ['report', 'activity', '--db', 'x.db', '--format', 'docx', '--out', 'x']]) {
      const source = await runSource(args);
      expect(source.code).toBe(2);
      expect(runBundle(args)).toEqual({ code: 2, out: source.out, err: source.err });
    }
  });

  it('generate, worklist (table, CSV, JSON) and a refused database: the same output and exit codes as the sources', async () => {
    const db = path.join(dir, 'clinic.db');
    const generated = runBundle(['generate', '--db', db, '--patients', '40', '--years', '3', '--seed', '11', '--as-of', '2026-11-24', '--plain']);
    expect(generated).toMatchObject({ code: 0, err: 'generated 40/40 patients\n' });
    for (const format of ['table', 'csv', 'json']) {
      const args = ['worklist', '--db', db, '--as-of', '2026-12-01', '--days', '30', '--format', format];
      const bundled = runBundle(args);
      expect(bundled.code).toBe(0);
      expect(bundled.out.length).toBeGreaterThan(100);
      expect(bundled).toEqual({ code: 0, out: (await runSource(args)).out, err: '' });
    }
    const missing = ['worklist', '--db', path.join(dir, 'none.db')];
    const source = await runSource(missing);
    expect(source.code).toBe(1);
    expect(runBundle(missing)).toEqual({ code: 1, out: '', err: source.err });
  }, 120_000);

  it('reports as CSV and Excel (exceljs inside the bundle), and a backup through its worker thread', () => {
    const db = path.join(dir, 'clinic.db');
    const csv = runBundle(['report', 'activity', '--db', db, '--from', '2025-01-01', '--to', '2026-11-24', '--format', 'csv', '--out', path.join(dir, 'a.csv')]);
    expect(csv).toMatchObject({ code: 0, err: '' });
    expect(fs.readFileSync(path.join(dir, 'a.csv'), 'utf8')).toMatch(/Morphine|Baclofen|Ziconotide|Hydromorphone/);
    const xlsx = runBundle(['report', 'safety', '--db', db, '--from', '2025-01-01', '--to', '2026-11-24', '--format', 'xlsx', '--out', path.join(dir, 's.xlsx')]);
    expect(xlsx).toMatchObject({ code: 0, err: '' }); // no Buffer() deprecation either (build-electron.mjs)
    expect(fs.readFileSync(path.join(dir, 's.xlsx')).subarray(0, 2).toString()).toBe('PK');
    const backup = runBundle(['backup', '--db', db, '--to', path.join(dir, 'backups')]);
    expect(backup).toMatchObject({ code: 0, err: '' });
    expect(fs.readdirSync(path.join(dir, 'backups'))).toHaveLength(1);
  }, 120_000);
});

describe('dist-electron/web.cjs: the browser shell from its bundle, and the report worker beside it', () => {
  it('serves the contract and runs an export job in dist-electron/report-worker.cjs', async () => {
    const db = path.join(dir, 'web.db');
    const child = spawn(process.execPath, [bundle('web.cjs'), '--db', db, '--plain', '--port', '0'], { cwd: dir, env: isolatedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`web.cjs did not start:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          const m = /running at (http:\/\/\S+)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(new URL(m[1]!));
          }
        });
        child.on('exit', (code) => reject(new Error(`web.cjs exited with ${code}:\n${output}`)));
      });
      const token = url.searchParams.get('token')!;
      let session = '';
      const call = async (name: string, input: unknown) => {
        const res = await fetch(`${url.origin}/api/${name}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Reservoir-Token': token, ...(session ? { 'X-Reservoir-Session': session } : {}) },
          body: JSON.stringify(input),
        });
        session = res.headers.get('x-reservoir-session') ?? session;
        return (await res.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { message: string } };
      };
      expect(await call('session.setup', { username: 'admin', displayName: 'Admin', password: 'a long password 1' })).toMatchObject({ ok: true });
      const started = await call('reports.export.start', { params: { report: 'device-inventory', to: '2026-11-24' }, format: 'json' });
      expect(started).toMatchObject({ ok: true, value: { state: 'running' } });
      const jobId = started.value!.jobId as string;
      let status = started;
      for (let i = 0; i < 200 && status.value?.state === 'running'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await call('reports.export.status', { jobId });
      }
      expect(status).toMatchObject({ ok: true, value: { state: 'done', error: null } });
      const saved = await call('reports.export.save', { jobId });
      expect(saved).toMatchObject({ ok: true, value: { kind: 'download' } });
      const file = await fetch(`${url.origin}${saved.value!.url as string}`, { headers: { 'X-Reservoir-Token': token } });
      expect(file.status).toBe(200);
      expect(JSON.parse(await file.text())).toMatchObject({ report: 'device-inventory' });
    } finally {
      child.kill('SIGTERM');
    }
  }, 120_000);
});
