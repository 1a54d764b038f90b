/**
 * The Electron build bundles the export worker (scripts/build-electron.mjs → report-worker.cjs) and
 * jobs.ts starts it from beside main.cjs: build it here and make an export through the bundle.
 */
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import type { ReportParams } from '../../../../shared/contract/reports';
import { useTestServices } from '../../testing/services';
import { buildFixture } from './fixture';
import { ExportJobs } from './jobs';

const root = path.resolve(import.meta.dirname, '../../../..');
const outdir = path.join(root, 'test-results', `worker-bundle-${process.pid}`);
const t = useTestServices(Date.UTC(2026, 2, 1, 12));
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

it('the bundled worker (report-worker.cjs) produces the same export', async () => {
  await buildFixture(t);
  const { electronBuildOptions } = (await import(pathToFileURL(path.join(root, 'scripts/build-electron.mjs')).href)) as {
    electronBuildOptions: (o: { root: string; outdir: string }) => Array<Record<string, unknown>>;
  };
  const esbuild = await import('esbuild');
  const options = electronBuildOptions({ root, outdir }).find((o) => String(o.outfile).endsWith('report-worker.cjs'))!;
  const result = await esbuild.build({ ...options, sourcemap: false, logLevel: 'silent' });
  expect(result.warnings).toEqual([]);
  const jobs = new ExportJobs({ databasePath: t.databasePath, now: () => Date.UTC(2026, 2, 1), worker: { file: path.join(outdir, 'report-worker.cjs'), tsx: false } });
  try {
    const started = jobs.start({ params: { report: 'activity', from: '2026-01-01', to: '2026-01-31' } as ReportParams, format: 'csv' });
    if (!started.ok) throw new Error(started.error.message);
    const done = await jobs.settle(started.value.jobId);
    expect(done).toMatchObject({ state: 'done', patientCount: 4, error: null });
    const saved = await jobs.save(started.value.jobId, () => {});
    if (!saved.ok || saved.value.kind !== 'download') throw new Error('expected a download');
    const [, , id, key] = saved.value.url.split('/');
    const rows = parse(jobs.takeDownload(id!, key!)!.data.toString('utf8')) as string[][];
    expect(rows[3]).toEqual(['Morphine', '25', 'mg/mL', '1', '18.000', '450', 'mg']);
  } finally {
    await jobs.close();
  }
}, 60_000);
