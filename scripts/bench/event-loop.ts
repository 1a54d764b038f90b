/**
 * The main side's event loop during the longest jobs the console runs: report exports (the
 * activity report of a whole clinic as XLSX and as FHIR), started and followed through `dispatch`
 * exactly as the window does. The work runs in a worker thread; this measures how long the main
 * side's event loop was ever blocked meanwhile (`monitorEventLoopDelay`, 10 ms resolution), while
 * it keeps answering the worklist every 50 ms as a window would.
 * The CSV import is a command-line job (`reservoir import`): the console never runs it on its main side.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createServices } from '../../electron/services/app';
import type { Figure } from './measure';

const ADMIN = { username: 'bench-admin', displayName: 'Bench Administrator', password: 'bench-password-2026' };

export async function eventLoopFigures(clinicFile: string, patients: number, asOf: string, log: (line: string) => void): Promise<Figure[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-loop-'));
  const db = path.join(work, 'clinic.db');
  fs.copyFileSync(clinicFile, db);
  const opened = createServices({ databasePath: db, shell: 'browser' });
  if (!opened.ok) throw new Error(opened.error.message);
  const services = opened.value;
  const slot = { id: null as string | null };
  try {
    const setup = await services.dispatch('session.setup', ADMIN, slot);
    if (!setup.ok) throw new Error(setup.error.message);
    const figures: Figure[] = [];
    for (const format of ['xlsx', 'fhir'] as const) {
      const params = { report: 'activity', from: '2016-01-01', to: asOf };
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      const t = Date.now();
      const started = await services.dispatch('reports.export.start', { params, format }, slot);
      if (!started.ok) throw new Error(`${format}: ${started.error.message}`);
      const jobId = (started.value as { jobId: string }).jobId;
      let state = 'running';
      let answered = 0;
      while (state === 'running') {
        await new Promise((r) => setTimeout(r, 50));
        const w = await services.dispatch('worklist.get', {}, slot); // the window stays usable
        if (w.ok) answered++;
        const s = await services.dispatch('reports.export.status', { jobId }, slot);
        if (!s.ok) throw new Error(s.error.message);
        state = (s.value as { state: string }).state;
      }
      histogram.disable();
      const ms = Date.now() - t;
      log(`  ${format} export of ${patients} patients: ${state} in ${(ms / 1000).toFixed(1)} s, ${answered} worklists answered meanwhile`);
      if (state !== 'done') throw new Error(`${format} export ended ${state}`);
      await services.dispatch('reports.export.cancel', { jobId }, slot); // discard the file
      figures.push({
        name: `main-side event loop, longest block during the activity report as ${format.toUpperCase()} (${(patients / 1000).toFixed(0)}k patients, ${(ms / 1000).toFixed(0)} s)`,
        value: histogram.max / 1e6,
        unit: 'ms',
        max: 50,
        note: `p99 ${(histogram.percentile(99) / 1e6).toFixed(0)} ms; the worklist answered ${answered} times meanwhile`,
      });
    }
    return figures;
  } finally {
    services.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
