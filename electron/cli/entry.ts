/**
 * The command line's bundle entry: `scripts/build-electron.mjs` bundles this file as
 * `dist-electron/cli.cjs`. Under Node `bin/reservoir.mjs` requires it; inside the desktop app
 * `electron/main/main.ts` does (CLI mode, electron/main/cli-mode.ts) and passes Electron's PDF printer
 * in `io.pdf`.
 */
export { mainAsync } from './main';
export { processIo, type CliIo, type ExitCode } from './args';
export { restrictUmask } from '../services/store/private-files';
/** Inside Electron in development: its own build of the database driver (.electron-native/). */
export { setProcessNativeBinding as useNativeBinding } from '../services/store/connect';
