#!/usr/bin/env node
// `npm start [-- --db FILE] [-- --demo]`: builds the console and opens the Electron desktop app.
//   1. builds the renderer (when stale) and the Electron bundles;
//   2. finds the Electron binary, and downloads it (node_modules/electron/install.js) when missing;
//      where that fails it says so and names the browser shell;
//   3. makes sure .electron-native/ holds a better-sqlite3-multiple-ciphers built for this Electron (the Node build in
//      node_modules stays as it is: the tests and the browser shell use it);
//   4. starts Electron on this folder with the arguments after `--`
//      (none given: `--demo`, so a first run opens the demo clinic; it seeds an empty database only).
// It never runs electron-builder's install-app-deps.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildElectron } from './build-electron.mjs';
import { ensureRendererBuilt } from './lib/renderer-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(path.join(root, 'package.json'));
const BROWSER_SHELL_HINT = 'Use the browser shell instead: npm run web -- --demo';
export const NATIVE_DIR = path.join(root, '.electron-native', 'better-sqlite3-multiple-ciphers');
export const NATIVE_BINARY = path.join(NATIVE_DIR, 'build', 'Release', 'better_sqlite3.node');
const NATIVE_STAMP = path.join(NATIVE_DIR, '.built-for.json');

/** The Electron executable, or null when the package has none (its download never ran or failed). */
export function findElectronBinary() {
  try {
    const id = require.resolve('electron');
    delete require.cache[id];
    const file = require('electron');
    if (typeof file !== 'string') return null;
    fs.accessSync(file, fs.constants.X_OK);
    return file;
  } catch {
    return null;
  }
}

function electronVersion() {
  return JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** Without variables that would turn Electron into plain Node or point node-gyp at Node's headers. */
export function cleanEnv(env, { forNodeGyp = false } = {}) {
  const out = { ...env };
  delete out.ELECTRON_RUN_AS_NODE;
  if (forNodeGyp) {
    for (const key of Object.keys(out)) {
      if (/^npm_config_(nodedir|target|runtime|disturl|dist_url|arch|build_from_source)$/i.test(key)) delete out[key];
    }
  }
  return out;
}

function downloadElectron() {
  console.error('The Electron binary is not installed; downloading it (node node_modules/electron/install.js)…');
  const env = cleanEnv(process.env);
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD; // `npm start` needs it, whatever `npm ci` was told
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { cwd: root, stdio: 'inherit', env });
  return r.status === 0;
}

/** Builds better-sqlite3-multiple-ciphers for this Electron into .electron-native/ unless that build is current. */
function ensureElectronSqlite(version) {
  const source = path.join(root, 'node_modules', 'better-sqlite3-multiple-ciphers');
  const sqliteVersion = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  const wanted = { electron: version, betterSqlite3: sqliteVersion, platform: process.platform, arch: process.arch };
  try {
    const stamp = JSON.parse(fs.readFileSync(NATIVE_STAMP, 'utf8'));
    if (fs.existsSync(NATIVE_BINARY) && JSON.stringify(stamp) === JSON.stringify(wanted)) return true;
  } catch {
    // no build yet
  }

  console.error(`Building the database module (better-sqlite3-multiple-ciphers ${sqliteVersion}) for Electron ${version} into .electron-native/ — once, about a minute…`);
  fs.rmSync(NATIVE_DIR, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(NATIVE_DIR), { recursive: true });
  // A copy without the Node build: node_modules/better-sqlite3-multiple-ciphers is never touched.
  fs.cpSync(source, NATIVE_DIR, { recursive: true, filter: (src) => path.relative(source, src).split(path.sep)[0] !== 'build' });
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const r = spawnSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${version}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron', `--arch=${process.arch}`],
    { cwd: NATIVE_DIR, stdio: 'inherit', env: cleanEnv(process.env, { forNodeGyp: true }) },
  );
  if (r.status !== 0 || !fs.existsSync(NATIVE_BINARY)) {
    console.error(
      [
        '',
        `The database module could not be built for Electron ${version}.`,
        'That needs Electron\'s headers from https://electronjs.org/headers (internet access) and a C++ toolchain',
        '(Python 3, make and a C++ compiler; on Windows the Visual Studio Build Tools).',
        'The messages above say which part failed.',
        BROWSER_SHELL_HINT,
      ].join('\n'),
    );
    return false;
  }
  fs.writeFileSync(NATIVE_STAMP, `${JSON.stringify(wanted)}\n`);
  return true;
}

async function main(args) {
  if (!ensureRendererBuilt(root)) return 1;
  try {
    await buildElectron({ root });
  } catch (e) {
    console.error(`The Electron bundles could not be built: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }

  let electron = findElectronBinary();
  if (electron === null && downloadElectron()) electron = findElectronBinary();
  if (electron === null) {
    console.error(['', 'The Electron binary could not be downloaded, so the desktop app cannot start on this machine.', BROWSER_SHELL_HINT].join('\n'));
    return 1;
  }

  const version = electronVersion();
  if (!ensureElectronSqlite(version)) return 1;

  const forwarded = args.length === 0 ? ['--demo'] : args;
  const child = spawn(electron, [root, ...forwarded], { cwd: process.cwd(), stdio: 'inherit', env: cleanEnv(process.env) });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`Electron could not be started (${e.message}). ${BROWSER_SHELL_HINT}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`Reservoir could not start: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
