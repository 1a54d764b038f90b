/**
 * Where the built app's files are, from code that runs both bundled and from its sources. Bundled
 * (scripts/build-electron.mjs), every module's code is in `dist-electron/<bundle>.cjs`, so the app's
 * root is the parent of `dist-electron/` (inside app.asar when packaged). From the sources (tsx,
 * vitest) it is two folders above this file.
 */
import path from 'node:path';

export function appRoot(): string {
  if (typeof __dirname === 'string' && path.basename(__dirname) === 'dist-electron') return path.dirname(__dirname);
  return path.resolve(import.meta.dirname, '../..');
}

/** The built console (`npm run build:renderer`): served by the browser shell, printed for PDFs. */
export function builtRendererDir(): string {
  return path.join(appRoot(), 'dist', 'renderer');
}
