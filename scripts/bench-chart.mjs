#!/usr/bin/env node
/**
 * The patient-record benchmark (issues 4 and 7): prints one table of medians for synthetic patients
 * with 20 and 25 years of monthly refills, opened in Debian Chromium through the browser shell.
 * The measuring is `scripts/bench/chart.ts` (`benchRecordCharts`), which `npm run bench` can call too.
 *
 * Usage: npm run build:renderer && node scripts/bench-chart.mjs [--runs N] [--years 20,25] [--renderer DIR] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    years: { type: 'string', default: '20,25' },
    renderer: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const { benchRecordCharts, chartTable } = await tsImport('./bench/chart.ts', import.meta.url);
const runs = Math.max(1, Number(values.runs) || 5);
const years = values.years.split(',').map(Number).filter((y) => Number.isInteger(y) && y > 0);
const rendererDir = values.renderer ? path.resolve(values.renderer) : undefined;
const log = (line) => process.stderr.write(`${line}\n`);
log(`Record benchmark: ${years.join(' and ')} years of monthly refills, ${runs} runs each (+1 warm-up), Chromium headless, 1280 px wide.`);
const rows = await benchRecordCharts({ years, runs, rendererDir, log });
if (values.json) console.log(JSON.stringify(rows, null, 2));
console.log(chartTable(rows));
console.log('\nFrom the route change (the record opened from the worklist); medians. Cold load: the app loaded straight on the record.');
