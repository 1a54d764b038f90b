/** FHIR R4 export of a whole clinic, streamed to a file (the hospital's record system takes it). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../electron/cli/database';
import { writeFhirBundle } from '../../electron/services/features/reports/fhir';
import type { Figure } from './measure';

export function fhirFigures(clinicFile: string, patients: number, asOf: string, log: (line: string) => void): Figure[] {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-bench-fhir-')), 'bundle.json');
  const opened = openStore(clinicFile, { mustExist: true, now: () => Date.parse(`${asOf}T12:00:00Z`) });
  if (!opened.ok) throw new Error(opened.message);
  const fd = fs.openSync(out, 'w');
  let heapPeakMb = 0;
  try {
    const t = process.hrtime.bigint();
    const summary = writeFhirBundle(
      opened.value.ctx.store,
      { generatedAtMs: Date.parse(`${asOf}T12:00:00Z`), clinicName: 'Bench clinic' },
      (chunk) => fs.writeSync(fd, chunk),
      (done, total) => {
        if (done % 1000 === 0) {
          // Live memory: after a full collection where the bench runs with --expose-gc (npm run bench does).
          (globalThis as { gc?: () => void }).gc?.();
          heapPeakMb = Math.max(heapPeakMb, process.memoryUsage().heapUsed / 2 ** 20);
          log(`  FHIR ${done}/${total} patients`);
        }
      },
    );
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const sizeMb = fs.statSync(out).size / 2 ** 20;
    return [
      {
        name: `FHIR R4 export (${(patients / 1000).toFixed(0)}k patients, ${summary.resources} resources, ${sizeMb.toFixed(0)} MB)`,
        value: ms,
        unit: 'ms',
        note: `streamed; live heap at most ${heapPeakMb.toFixed(0)} MB during the export`,
      },
    ];
  } finally {
    fs.closeSync(fd);
    opened.value.close();
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}
