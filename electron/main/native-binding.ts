/**
 * better-sqlite3 in two runtimes. The Node build in node_modules serves tests and the browser shell
 * and is never touched. In development Electron loads its own build, made by `npm start` into
 * `.electron-native/` (Electron's Node has another ABI); a packaged app uses the module that
 * electron-builder rebuilt for Electron, found the usual way.
 */
import path from 'node:path';
import { fail, ok, type Result } from '../../shared/contract/result';

export const ELECTRON_NATIVE_BINDING = path.join('.electron-native', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');

export interface NativeBindingInputs {
  isPackaged: boolean;
  /** The project folder in development (the one holding package.json). */
  appRoot: string;
  exists: (file: string) => boolean;
}

/** The `nativeBinding` to pass to better-sqlite3: a file in development, undefined when packaged. */
export function electronNativeBinding({ isPackaged, appRoot, exists }: NativeBindingInputs): Result<string | undefined> {
  if (isPackaged) return ok(undefined);
  const file = path.join(appRoot, ELECTRON_NATIVE_BINDING);
  if (exists(file)) return ok(file);
  return fail(
    'internal',
    `The Electron build of the database module is missing (${file}). ` +
      'Start Reservoir with `npm start`, which builds it, or use the browser shell: npm run web -- --demo',
  );
}
