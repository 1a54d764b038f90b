#!/usr/bin/env node
// `npm run build:electron`: bundles the Electron main process and the preload with esbuild.
//   electron/main/main.ts       → dist-electron/main.cjs     (services, shared contract and zod inside)
//   electron/preload/preload.ts → dist-electron/preload.cjs  (electron + the request names only)
// `electron` and `better-sqlite3` stay external: Electron provides the first; the second is a native
// module loaded from node_modules (or the Electron build in .electron-native/, see native-binding.ts).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const defaultRoot = path.resolve(import.meta.dirname, '..');

/** The esbuild options for both bundles; `outdir` defaults to `<root>/dist-electron`. */
export function electronBuildOptions({ root = defaultRoot, outdir = path.join(root, 'dist-electron') } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'better-sqlite3-multiple-ciphers'],
    logLevel: 'warning',
    absWorkingDir: root,
    legalComments: 'none',
    // CommonJS has no import.meta: code that uses it (reports/jobs.ts, to find worker.ts under tsx)
    // checks for the bundled file first, so an explicit undefined replaces esbuild's warning.
    define: { 'import.meta.url': 'undefined' },
  };
  return [
    { ...common, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(outdir, 'main.cjs') },
    { ...common, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: path.join(outdir, 'preload.cjs') },
    // The report export worker (worker_threads), started by features/reports/jobs.ts from beside main.cjs.
    {
      ...common,
      entryPoints: [path.join(root, 'electron/services/features/reports/worker.ts')],
      outfile: path.join(outdir, 'report-worker.cjs'),
    },
  ];
}

/** Builds both bundles; resolves with esbuild's results (with `metafile`). */
export async function buildElectron(options = {}) {
  return Promise.all(electronBuildOptions(options).map((o) => esbuild.build({ ...o, metafile: true })));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await buildElectron();
    console.error('Built dist-electron/main.cjs, preload.cjs and report-worker.cjs.');
  } catch (e) {
    console.error(`The Electron bundles could not be built: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
