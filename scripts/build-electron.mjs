#!/usr/bin/env node
// `npm run build:electron`: bundles every JavaScript entry point with esbuild.
//   electron/main/main.ts       → dist-electron/main.cjs     (services, shared contract and zod inside)
//   electron/preload/preload.ts → dist-electron/preload.cjs  (electron + the request names and the notice check only)
//   electron/services/features/reports/worker.ts → dist-electron/report-worker.cjs (export jobs)
//   electron/cli/entry.ts       → dist-electron/cli.cjs      (the `reservoir` command: bin/reservoir.mjs
//                                 under Node, main.cjs inside the desktop app)
//   electron/web/cli.ts         → dist-electron/web.cjs      (the browser shell: npm run web)
// `electron` and `better-sqlite3` stay external: Electron provides the first; the second is a native
// module loaded from node_modules (or the Electron build in .electron-native/, see native-binding.ts).
// playwright-core (headless Chromium for PDFs under plain Node) stays external too: bundled it is
// 7 MB of code that reads its own files and optional packages at run time. It is loaded only when a
// PDF is printed under Node (pdf-chromium.ts); inside Electron PDFs use printToPDF, so the
// installers do not carry it (electron-builder.yml).
import * as esbuild from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const defaultRoot = path.resolve(import.meta.dirname, '..');

/**
 * Node does not print its `Buffer()` deprecation (DEP0005) for code under node_modules, where exceljs's
 * zip writer (archiver-utils) calls it. Bundled, that code is no longer under node_modules and every
 * XLSX export would print the warning: the bundles keep Node's rule for that one warning, by code.
 */
export const QUIET_BUFFER_DEPRECATION = `{const emit=process.emitWarning;process.emitWarning=function(warning,...rest){const code=typeof rest[0]==='object'&&rest[0]!==null?rest[0].code:rest[1];if(code==='DEP0005')return;return emit.call(this,warning,...rest);};}`;

/** The esbuild options for every bundle; `outdir` defaults to `<root>/dist-electron`. */
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
    // CommonJS has no import.meta: code that uses it (reports/jobs.ts, to find worker.ts under tsx;
    // services/app-paths.ts) checks for the bundled file first, so an explicit undefined replaces
    // esbuild's warning.
    define: { 'import.meta.url': 'undefined', 'import.meta.dirname': 'undefined' },
  };
  /** Node-side entry points: the native driver and playwright-core are loaded from node_modules. */
  const nodeSide = { ...common, external: [...common.external, 'playwright-core'], banner: { js: QUIET_BUFFER_DEPRECATION } };
  return [
    { ...common, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(outdir, 'main.cjs') },
    { ...common, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: path.join(outdir, 'preload.cjs') },
    // The report export worker (worker_threads), started by features/reports/jobs.ts from beside main.cjs.
    {
      ...common,
      entryPoints: [path.join(root, 'electron/services/features/reports/worker.ts')],
      outfile: path.join(outdir, 'report-worker.cjs'),
      banner: { js: QUIET_BUFFER_DEPRECATION },
    },
    // The command line, as a library: bin/reservoir.mjs and main.cjs (CLI mode) call its mainAsync.
    { ...nodeSide, entryPoints: [path.join(root, 'electron/cli/entry.ts')], outfile: path.join(outdir, 'cli.cjs') },
    // The browser shell: runs on load (npm run web).
    { ...nodeSide, entryPoints: [path.join(root, 'electron/web/cli.ts')], outfile: path.join(outdir, 'web.cjs') },
  ];
}

/** Builds every bundle; resolves with esbuild's results (with `metafile`). */
export async function buildElectron(options = {}) {
  return Promise.all(electronBuildOptions(options).map((o) => esbuild.build({ ...o, metafile: true })));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    await buildElectron();
    console.error('Built dist-electron/main.cjs, preload.cjs, report-worker.cjs, cli.cjs and web.cjs.');
  } catch (e) {
    console.error(`The Electron bundles could not be built: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
}
