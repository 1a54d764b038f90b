/**
 * Loads the bundled command line, dist-electron/cli.cjs, from beside main.cjs (inside app.asar when
 * packaged: plain JavaScript loads from the archive). Not bundled into main.cjs: the console's start
 * does not pay for the CLI's code, and the installed CLI is the very file `npx reservoir` runs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CliBundle } from './cli-mode';

export const CLI_BUNDLE_FILE = 'cli.cjs';

export function loadCliBundle(bundleDir: string): CliBundle {
  return createRequire(path.join(bundleDir, 'main.cjs'))(`./${CLI_BUNDLE_FILE}`) as CliBundle;
}
