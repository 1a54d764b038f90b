/* global document -- page.waitForFunction bodies run in the browser */
/**
 * The browser shell opened on a clinic until the worklist is painted, against the same on an
 * empty database (the floor), and the resident memory of the main side (the shell's Node process)
 * and of the page's renderer after the worklist and a few searches.
 *
 * Time = the shell process started until it listens (it opens and checks the database) + the
 * worklist route loaded until its table (or empty state) is on screen. Signing in sits between
 * the two and is not counted.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { CHROMIUM_ARGS } from '../../electron/services/features/reports/pdf-chromium';
import { chromium, type Browser } from 'playwright-core';
import { median, rssMb, type Figure } from './measure';
import { plainArgs } from './encryption';

const root = path.resolve(import.meta.dirname, '../..');
const USER = { username: 'bench-admin', displayName: 'Bench Administrator', password: 'bench-password-2026' };

interface Shell {
  child: ChildProcess;
  url: URL;
  startMs: number;
  stop(): Promise<void>;
}

/**
 * The browser shell bundled as the Electron main side is (esbuild, plain Node, no TypeScript
 * compiler in memory): `npm run web` runs it through tsx, which alone holds about 150 MB.
 */
async function bundleShell(): Promise<string> {
  const outfile = path.join(root, 'dist-bench/web/shell.mjs'); // two levels down: cli.ts finds ../../dist/renderer
  await esbuild.build({
    entryPoints: [path.join(root, 'electron/web/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['electron', 'better-sqlite3-multiple-ciphers', 'playwright-core', 'exceljs'],
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

let shellEntry: string | null = null;

async function startShell(db: string): Promise<Shell> {
  shellEntry ??= await bundleShell();
  const t = process.hrtime.bigint();
  const child = spawn(process.execPath, [shellEntry, '--db', db, ...plainArgs()], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shell did not start:\n${out}`)), 120_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`shell exited with ${code}:\n${out}`)));
  });
  const startMs = Number(process.hrtime.bigint() - t) / 1e6;
  return {
    child,
    url,
    startMs,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function api(shell: Shell, name: string, input: unknown, session?: string): Promise<{ ok: boolean; session: string | null; value: unknown }> {
  const res = await fetch(`${shell.url.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${shell.url.searchParams.get('token')}`, ...(session ? { 'X-Reservoir-Session': session } : {}) },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: unknown };
  return { ok: body.ok, session: res.headers.get('x-reservoir-session'), value: body.value };
}

/** Signs the page in (creating the first administrator on a database without users). */
async function signIn(shell: Shell, browser: Browser) {
  const state = (await api(shell, 'session.current', {})).value as { state?: string } | undefined;
  if (state?.state === 'setup') await api(shell, 'session.setup', USER);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(shell.url.href); // the page keeps the token
  const login = await api(shell, 'session.login', { username: USER.username, password: USER.password });
  if (!login.ok || !login.session) throw new Error('bench sign-in failed');
  // The tab keeps its session as the console does (sessionStorage, kept across the loads below).
  await page.evaluate((id) => window.sessionStorage.setItem('reservoir.session', id), login.session);
  await page.goto('about:blank'); // so the timed load below is a full page load, not a hash change
  return { context, page };
}

/** One opening: start → listening → signed in → worklist route until painted. */
async function openOnce(db: string, browser: Browser, searches: string[]): Promise<{ ms: number; mainMb: number | null; rendererMb: number | null }> {
  const shell = await startShell(db);
  try {
    const { context, page } = await signIn(shell, browser);
    const t = Date.now();
    await page.goto(`${shell.url.origin}/#/worklist`);
    await page
      .waitForFunction(() => document.querySelector('table.list tbody tr, p.empty') !== null, undefined, { timeout: 120_000 })
      .catch(async (e: Error) => {
        throw new Error(`the worklist was not painted: ${e.message}\n${(await page.locator('body').innerText()).slice(0, 500)}`);
      });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const ms = shell.startMs + (Date.now() - t);
    // A few searches, as a nurse would, before memory is read.
    await page.goto(`${shell.url.origin}/#/patients`);
    for (const q of searches) {
      await page.getByRole('searchbox').first().fill(q).catch(() => {});
      await page.waitForTimeout(150);
    }
    const rendererMb = rendererRssMb();
    const mainMb = rssMb(shell.child.pid!);
    await context.close();
    return { ms, mainMb, rendererMb };
  } finally {
    await shell.stop();
  }
}

/** The largest resident set among Chromium's renderer processes (the page). */
function rendererRssMb(): number | null {
  const r = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const pids = r.stdout
    .split('\n')
    .filter((l) => l.includes('--type=renderer'))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
  const sizes = pids.map(rssMb).filter((v): v is number => v !== null);
  return sizes.length ? Math.max(...sizes) : null;
}

export async function shellFigures(clinicFile: string, patients: number, log: (line: string) => void, runs = 3): Promise<Figure[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-shell-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const big = path.join(work, 'clinic.db');
    fs.copyFileSync(clinicFile, big);
    const bigRuns = [];
    const emptyRuns = [];
    for (let i = 0; i <= runs; i++) {
      const empty = path.join(work, `empty-${i}.db`);
      const e = await openOnce(empty, browser, []);
      const b = await openOnce(big, browser, ['ad', 'adeyemi', 'NGP4000003']);
      log(`  shell run ${i}${i === 0 ? ' (warm-up)' : ''}: ${b.ms.toFixed(0)} ms at ${patients} patients, ${e.ms.toFixed(0)} ms empty`);
      if (i > 0) {
        bigRuns.push(b);
        emptyRuns.push(e);
      }
    }
    const label = `${(patients / 1000).toFixed(0)}k patients`;
    const last = bigRuns.at(-1)!;
    return [
      {
        name: `browser shell started until the worklist is painted (${label})`,
        value: median(bigRuns.map((r) => r.ms)),
        unit: 'ms',
        floor: median(emptyRuns.map((r) => r.ms)),
        note: 'floor: the same on an empty database',
      },
      { name: `main-side resident memory (${label}, after the worklist and searches)`, value: last.mainMb ?? NaN, unit: 'MB', max: 200 },
      { name: `renderer resident memory (${label})`, value: last.rendererMb ?? NaN, unit: 'MB', note: 'the largest Chromium renderer process' },
    ];
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
