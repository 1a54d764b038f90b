// Which JavaScript a command of a checkout runs: the esbuild bundle in dist-electron/ (npm run build)
// or the TypeScript sources through tsx. The rule, kept simple:
//   - RESERVOIR_CLI=bundle or =source forces one (tests; a bundle that is missing is an error);
//   - a copy without the sources (electron/) runs the bundle;
//   - a checkout runs the bundle when it is newer than every file under electron/ and shared/ and
//     than package.json, else the sources through tsx (so an edited file is never run stale).
// The installed desktop app does not use this: its main.cjs always runs dist-electron/cli.cjs.
import nodeFs from 'node:fs';
import path from 'node:path';

export const BUNDLE_SOURCES = ['electron', 'shared', 'package.json'];

function newestMtime(fs, target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file changes its folder's time
  for (const entry of fs.readdirSync(target, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * `{ kind: 'bundle', file }`, `{ kind: 'source' }`, or `{ kind: 'missing', message }` (no sources
 * and no bundle, or RESERVOIR_CLI=bundle without one).
 */
export function chooseEntry(root, bundleName, { env = process.env, fs = nodeFs } = {}) {
  const file = path.join(root, 'dist-electron', bundleName);
  const built = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? null;
  const missing = { kind: 'missing', message: `dist-electron/${bundleName} is missing: run \`npm run build\` first.` };
  const forced = env.RESERVOIR_CLI;
  if (forced === 'bundle') return built === null ? missing : { kind: 'bundle', file };
  if (forced === 'source') return { kind: 'source' };
  if (!fs.existsSync(path.join(root, 'electron'))) return built === null ? missing : { kind: 'bundle', file };
  if (built === null) return { kind: 'source' };
  const sources = Math.max(...BUNDLE_SOURCES.map((s) => newestMtime(fs, path.join(root, s))));
  return built >= sources ? { kind: 'bundle', file } : { kind: 'source' };
}
