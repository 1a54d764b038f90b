/* global document, window, requestAnimationFrame -- page.evaluate bodies run in the browser */
/**
 * The patient-record benchmark (issues 4 and 7): one synthetic patient with Y years of monthly
 * refills (`seed-history.ts`), the browser shell serving a built renderer (`serve-record.ts`, which
 * times `patients.get` on the main side), and Debian Chromium opening the record from the
 * worklist, as a user does. For each size and run it measures, from the moment the route changes:
 * - first paint: the record's header on screen;
 * - charts drawn: the three charts drawn and painted;
 * - interactive: everything on the page painted and no task of the page still running (the end of
 *   the last long task, if later);
 * - the "All" range: a click on it until the next paint;
 * plus the main side's time for `patients.get`, its JSON size, the request as the page saw it, the
 * longest task, and a cold load (the app loaded straight on the record until the charts are drawn).
 * Medians over the runs (after one warm-up run).
 *
 * `benchRecordCharts` answers the figures (for `npm run bench`); `scripts/bench-chart.mjs` prints them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS } from '../../electron/services/features/reports/pdf-chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BENCH_USER } from './bench-user';

const root = path.resolve(import.meta.dirname, '../..');

export interface ChartBenchOptions {
  /** Years of monthly refills, one synthetic patient each (default [20, 25]). */
  years?: number[];
  /** Measured runs per size (default 5), after one warm-up run. */
  runs?: number;
  /** The built renderer to serve (default dist/renderer). */
  rendererDir?: string;
  /** Viewport width in CSS px (default 1280). */
  width?: number;
  log?: (line: string) => void;
}

/** One run: ms from the route change (cold: from navigation start). */
export interface ChartRun {
  dataMainMs: number;
  jsonBytes: number;
  fetchMs: number;
  firstPaintMs: number;
  chartsMs: number;
  /** From the record's data arriving in the page (the end of its request) until the charts are painted. */
  chartsFromDataMs: number;
  interactiveMs: number;
  longestTaskMs: number;
  /** A click on "All" until the next paint (the reservoir chart redrawn). */
  allRangeMs: number;
  /** … until all three charts are redrawn. */
  allChartsMs: number;
  coldChartsMs: number;
  /** CPU time of the page's main thread from the route change until everything is painted (hardly moved by other load on the machine). */
  openCpuMs: number;
  /** The same for the "All" range. */
  allCpuMs: number;
}

export interface ChartBenchRow extends ChartRun {
  years: number;
  refills: number;
  doseChanges: number;
  runs: ChartRun[];
}

/** The targets: issue 4 (20 years drawn in < 100 ms) and issue 7 (25 years interactive in ≤ 150 ms). */
export const CHART_TARGETS = { chartsMs: { years: 20, max: 100 }, interactiveMs: { years: 25, max: 150 } } as const;

export function median(values: readonly number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

function seed(db: string, years: number): { patientId: number; refills: number; doseChanges: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/seed-history.ts'), db, String(years)], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seeding ${years} years failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { patientId: number; refills: number; doseChanges: number };
}

interface Served {
  url: string;
  child: ChildProcess;
  /** Main-side timings of patients.get, in arrival order. */
  timings: { ms: number; bytes: number; error: string | null }[];
}

function serve(db: string, rendererDir: string): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/serve-record.ts'), db, rendererDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const timings: Served['timings'] = [];
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the browser shell did not start:\n${out}`)), 30_000);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    let buffered = '';
    child.stdout?.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        out += `${line}\n`;
        const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve({ url: m[1], child, timings });
        } else if (line.startsWith('{"request":"patients.get"')) timings.push(JSON.parse(line) as Served['timings'][number]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the browser shell exited with ${code}:\n${out}`));
    });
  });
}

/**
 * Signs the benchmark's clinician in from the page (which holds the run's token) and answers the
 * session id; the caller hands it to every later tab, as a tab keeps its own session.
 */
async function signIn(page: Page): Promise<string> {
  return page.evaluate(async (user) => {
    const headers = { 'Content-Type': 'application/json', 'X-Reservoir-Token': window.localStorage.getItem('reservoir.token') ?? '' };
    const res = await fetch('/api/session.login', { method: 'POST', headers, body: JSON.stringify(user) });
    const r = (await res.json()) as { ok: boolean; error?: { message: string } };
    if (!r.ok) throw new Error(`sign-in failed: ${r.error?.message ?? ''}`);
    return res.headers.get('x-reservoir-session') ?? '';
  }, BENCH_USER);
}

/** The page conditions, as a function body evaluated in the browser (shared by warm and cold loads). */
const WATCH = `(t0, timeoutMs) => new Promise((resolve) => {
  const q = (s) => document.querySelector(s);
  const conditions = {
    firstPaint: () => q('#patient-title'),
    charts: () => q('figure[data-chart="reservoir-level"] .recharts-line-curve') && q('figure[data-chart="refill-history"] :is(.rc-bar, .recharts-line-curve)') && q('figure[data-chart="dose-history"] .recharts-line-curve'),
    complete: () => conditions.charts() && q('#timeline-title') && q('section[aria-label^="Refills of pump"] tbody tr') && !q('[aria-busy="true"]'),
  };
  const painted = {};
  const tasks = [];
  const lt = new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.startTime >= t0) tasks.push(e); });
  try { lt.observe({ type: 'longtask', buffered: true }); } catch {}
  const channel = new MessageChannel();
  const waiting = [];
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    mo.disconnect();
    setTimeout(() => {
      lt.disconnect();
      const lastTaskEnd = Math.max(0, ...tasks.map((e) => e.startTime + e.duration - t0));
      const longest = Math.max(0, ...tasks.map((e) => e.duration));
      const api = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/patients.get') && e.startTime >= t0).at(-1);
      resolve({ ...painted, interactive: Math.max(painted.complete ?? NaN, lastTaskEnd), longestTask: longest, fetch: api ? api.responseEnd - api.startTime : NaN, dataAt: api ? api.responseEnd - t0 : NaN });
    }, 300);
  };
  channel.port1.onmessage = () => {
    const now = performance.now() - t0;
    for (const name of waiting.splice(0)) painted[name] = now;
    if (Object.keys(painted).length === Object.keys(conditions).length) finish();
  };
  const check = () => {
    let fresh = false;
    for (const [name, test] of Object.entries(conditions)) {
      if (!(name in painted) && !waiting.includes(name) && test()) { waiting.push(name); fresh = true; }
    }
    // After the next frame's paint: a task queued from requestAnimationFrame runs once it is painted.
    if (fresh) requestAnimationFrame(() => channel.port2.postMessage(0));
  };
  const mo = new MutationObserver(check);
  mo.observe(document, { childList: true, subtree: true, attributes: true });
  check();
  setTimeout(finish, timeoutMs);
})`;

/** Open the record from the worklist and measure; then click "All". */
async function warmRun(page: Page, origin: string, patientId: number): Promise<Omit<ChartRun, 'dataMainMs' | 'jsonBytes' | 'coldChartsMs'>> {
  await page.goto(`${origin}/#/worklist`);
  await page.waitForLoadState('networkidle');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadMs = async () => 1000 * ((await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'ThreadTime')?.value ?? NaN);
  const cpu0 = await threadMs();
  const m = await page.evaluate(
    async ({ watch, id }) => {
      const t0 = performance.now();
      const measured = (0, eval)(watch)(t0, 15_000) as Promise<Record<string, number>>;
      window.location.hash = `#/patients/${id}`;
      return measured;
    },
    { watch: WATCH, id: patientId },
  );
  const cpu1 = await threadMs();
  const all = await page.evaluate(async () => {
    const button = [...document.querySelectorAll<HTMLButtonElement>('button[aria-pressed]')].find((b) => b.textContent?.trim() === 'All');
    if (!button) return { first: NaN, all: NaN };
    const painted = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const refills = document.querySelector('figure[data-chart="refill-history"]');
    // (A build whose refill chart has no range always shows every visit.)
    const redrawn = () => {
      const shown = refills?.getAttribute('data-shown-count') ?? null;
      return shown === null || shown === refills?.getAttribute('data-refill-count');
    };
    const t0 = performance.now();
    button.click();
    await painted();
    const first = button.getAttribute('aria-pressed') === 'true' ? performance.now() - t0 : NaN;
    // The refill chart shows every visit once the deferred charts are redrawn.
    for (let frames = 0; !redrawn() && frames < 600; frames++) await painted();
    return { first, all: redrawn() ? performance.now() - t0 : NaN };
  });
  const cpu2 = await threadMs();
  await cdp.detach();
  return {
    // The watcher waits 300 ms after the last paint before it answers: idle, so (almost) no CPU.
    openCpuMs: cpu1 - cpu0,
    allCpuMs: cpu2 - cpu1,
    allRangeMs: all.first,
    allChartsMs: all.all,
    fetchMs: m.fetch ?? NaN,
    firstPaintMs: m.firstPaint ?? NaN,
    chartsMs: m.charts ?? NaN,
    chartsFromDataMs: (m.charts ?? NaN) - (m.dataAt ?? NaN),
    interactiveMs: m.interactive ?? NaN,
    longestTaskMs: m.longestTask ?? NaN,
  };
}

/** Load the app straight on the record: navigation start → charts drawn. */
async function coldRun(page: Page, origin: string, patientId: number): Promise<number> {
  await page.addInitScript(`window.__benchWatch = (${WATCH})(0, 15000);`);
  await page.goto(`${origin}/#/patients/${patientId}`);
  const m = await page.evaluate(() => (window as unknown as { __benchWatch: Promise<Record<string, number>> }).__benchWatch);
  return m.charts ?? NaN;
}

/** Run the benchmark; answers one row of medians per size. */
export async function benchRecordCharts(options: ChartBenchOptions = {}): Promise<ChartBenchRow[]> {
  const years = options.years ?? [20, 25];
  const runs = Math.max(1, options.runs ?? 5);
  const rendererDir = path.resolve(options.rendererDir ?? path.join(root, 'dist/renderer'));
  const log = options.log ?? (() => {});
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) throw new Error(`${rendererDir} holds no built renderer: run \`npm run build:renderer\` first.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-chart-'));
  let browser: Browser | null = null;
  const children: ChildProcess[] = [];
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    const rows: ChartBenchRow[] = [];
    for (const y of years) {
      const db = path.join(dir, `record-${y}y.db`);
      const seeded = seed(db, y);
      log(`- ${y} years: ${seeded.refills} refills, ${seeded.doseChanges} dose changes between refills`);
      const served = await serve(db, rendererDir);
      children.push(served.child);
      const context = await browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, locale: 'en-US' });
      // tsx compiles the page.evaluate bodies above with esbuild's name helper; the page needs it too.
      await context.addInitScript('window.__name = (f) => f;');
      const first = await context.newPage();
      await first.goto(served.url); // the page keeps the token for the origin
      const session = await signIn(first);
      await first.close();
      await context.addInitScript((id: string) => window.sessionStorage.setItem('reservoir.session', id), session);
      const origin = new URL(served.url).origin;
      const measured: ChartRun[] = [];
      for (let run = 0; run <= runs; run++) {
        const page = await context.newPage();
        const before = served.timings.length;
        const warm = await warmRun(page, origin, seeded.patientId);
        const data = served.timings.slice(before).at(-1);
        if (data?.error) throw new Error(`patients.get answered ${data.error}`);
        await page.close();
        const cold = await context.newPage();
        const coldChartsMs = await coldRun(cold, origin, seeded.patientId);
        await cold.close();
        if (run > 0) measured.push({ ...warm, dataMainMs: data?.ms ?? NaN, jsonBytes: data?.bytes ?? NaN, coldChartsMs });
      }
      await context.close();
      served.child.kill('SIGTERM');
      const pick = (k: keyof ChartRun) => median(measured.map((r) => r[k]));
      rows.push({
        years: y,
        refills: seeded.refills,
        doseChanges: seeded.doseChanges,
        runs: measured,
        dataMainMs: pick('dataMainMs'),
        jsonBytes: pick('jsonBytes'),
        fetchMs: pick('fetchMs'),
        firstPaintMs: pick('firstPaintMs'),
        chartsMs: pick('chartsMs'),
        chartsFromDataMs: pick('chartsFromDataMs'),
        interactiveMs: pick('interactiveMs'),
        longestTaskMs: pick('longestTaskMs'),
        allRangeMs: pick('allRangeMs'),
        allChartsMs: pick('allChartsMs'),
        coldChartsMs: pick('coldChartsMs'),
        openCpuMs: pick('openCpuMs'),
        allCpuMs: pick('allCpuMs'),
      });
    }
    return rows;
  } finally {
    await browser?.close();
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows as a Markdown table, with the targets. */
export function chartTable(rows: readonly ChartBenchRow[]): string {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(n >= 100 ? 0 : 1) : '—');
  const lines = [
    '| history | refills | patients.get (main) | JSON | request (page) | first paint | charts drawn | charts drawn from the data | interactive | longest task | "All" → paint | "All" → all charts | open CPU | "All" CPU | cold load → charts |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.years} years | ${r.refills} | ${f(r.dataMainMs)} ms | ${f(r.jsonBytes / 1024)} KB | ${f(r.fetchMs)} ms | ${f(r.firstPaintMs)} ms | ${f(r.chartsMs)} ms | ${f(r.chartsFromDataMs)} ms | ${f(r.interactiveMs)} ms | ${f(r.longestTaskMs)} ms | ${f(r.allRangeMs)} ms | ${f(r.allChartsMs)} ms | ${f(r.openCpuMs)} ms | ${f(r.allCpuMs)} ms | ${f(r.coldChartsMs)} ms |`,
    ),
  ];
  const verdicts = [];
  const drawn = rows.find((r) => r.years === CHART_TARGETS.chartsMs.years);
  if (drawn) verdicts.push(`${drawn.years} years: charts drawn ${f(drawn.chartsMs)} ms (target < ${CHART_TARGETS.chartsMs.max} ms): ${drawn.chartsMs < CHART_TARGETS.chartsMs.max ? 'met' : 'NOT met'}`);
  const inter = rows.find((r) => r.years === CHART_TARGETS.interactiveMs.years);
  if (inter) verdicts.push(`${inter.years} years: interactive ${f(inter.interactiveMs)} ms (target ≤ ${CHART_TARGETS.interactiveMs.max} ms): ${inter.interactiveMs <= CHART_TARGETS.interactiveMs.max ? 'met' : 'NOT met'}`);
  return [...lines, '', ...verdicts].join('\n');
}
