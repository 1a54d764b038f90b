#!/usr/bin/env node
/* global document, requestAnimationFrame -- inside page.evaluate / waitForFunction, which run in the browser */
/**
 * Benchmark of the record charts: a synthetic patient with 20 years of monthly refills (two pumps,
 * mg + mcg drugs, dose changes, flagged discrepancies) is created through the services, the browser
 * shell serves the built renderer, and Debian Chromium opens the record. The component sets
 * performance marks: 'charts-start' (series computed from here), 'charts-rendered' (React committed
 * the charts) and 'charts-painted' (the next animation frame). Prints a table; the target is
 * charts-start → charts-rendered under 100 ms.
 *
 * Usage: npx vite build --config vite.config.mts && node scripts/bench-chart.mjs [--runs N]
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Math.max(1, Number(values.runs) || 7);
const TARGET_MS = 100;

if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
  console.error('dist/renderer is missing: run `npx vite build --config vite.config.mts` first.');
  process.exit(1);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-'));
const db = path.join(dir, 'bench.db');
let shell = null;
let browser = null;
try {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/bench/seed-20y.ts'), db], { cwd: root, encoding: 'utf8' });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
  const { patientId, refills } = JSON.parse(seeded.stdout.trim().split('\n').at(-1));

  shell = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), '--db', db], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the browser shell did not start:\n${out}`)), 30_000);
    const onData = (d) => {
      out += d.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    shell.stdout.on('data', onData);
    shell.stderr.on('data', onData);
    shell.on('exit', (code) => reject(new Error(`the browser shell exited with ${code}:\n${out}`)));
  });

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const rows = [];
  for (let run = 1; run <= runs; run++) {
    const page = await context.newPage();
    await page.goto(`${url}#/patients/${patientId}`);
    await page.waitForFunction(() => performance.getEntriesByName('charts-painted').length > 0, null, { timeout: 30_000 });
    const m = await page.evaluate(() => {
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      return {
        start: at('charts-start'),
        computed: at('charts-computed'),
        rendered: at('charts-rendered'),
        painted: at('charts-painted'),
        visits: Number(document.querySelector('figure[data-chart="refill-history"]')?.getAttribute('data-refill-count')),
        svgs: document.querySelectorAll('.record-charts svg.recharts-surface').length,
        levelPoints: document.querySelector('figure[data-chart="reservoir-level"] .recharts-line-curve')?.getAttribute('d')?.split('L').length ?? 0,
      };
    });
    // The whole history instead of the default year.
    const allStart = await page.evaluate(() => performance.now());
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const allMs = (await page.evaluate(() => performance.now())) - allStart;
    rows.push({ run, ...m, allMs });
    await page.close();
  }

  const fmt = (n) => (Number.isFinite(n) ? n.toFixed(1).padStart(8) : '       —');
  console.log(`Synthetic patient: ${refills} refills over 20 years (2 pumps), ${runs} runs, Chromium headless, 1280 px wide.`);
  console.log('run | nav→start ms | series ms | nav→rendered ms | start→rendered ms | start→painted ms | "All" range ms | visits | svgs | level pts');
  console.log('----|--------------|-----------|-----------------|-------------------|------------------|----------------|--------|------|----------');
  for (const r of rows) {
    console.log(
      `${String(r.run).padStart(3)} |     ${fmt(r.start)} |  ${fmt(r.computed - r.start)} |        ${fmt(r.rendered)} |          ${fmt(r.rendered - r.start)} |         ${fmt(r.painted - r.start)} |       ${fmt(r.allMs)} | ${String(r.visits).padStart(6)} | ${String(r.svgs).padStart(4)} | ${String(r.levelPoints).padStart(8)}`,
    );
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  const render = median(rows.map((r) => r.rendered - r.start));
  const paint = median(rows.map((r) => r.painted - r.start));
  console.log(`median start→rendered ${render.toFixed(1)} ms, start→painted ${paint.toFixed(1)} ms (target < ${TARGET_MS} ms): ${paint < TARGET_MS ? 'OK' : 'OVER'}`);
} finally {
  await browser?.close();
  if (shell && shell.exitCode === null) shell.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
