/**
 * The Electron main process: wiring only. Every rule lives in a small module beside this one.
 * Built by `scripts/build-electron.mjs` into `dist-electron/main.cjs`; paths below are relative to
 * that bundle: `dist-electron/preload.cjs`, `dist/renderer/`, `.electron-native/` (development).
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell } from 'electron';
import { chooseKey } from '../services/store/keys';
import { exportRecoveryKey, safeStorageKeyStore } from './key-store';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APP_VERSION, createServices, type ReservoirServices } from '../services/app';
import { seedDemoClinic } from '../services/demo';
import { restrictUmask } from '../services/store/private-files';
import { parseLaunchArgs, resolveDatabasePath, resolveUserDataDir } from './database-path';
import { createSessionSlots, registerRequestHandler, type Dispatch } from './ipc';
import { relayChanges } from './live-updates';
import { createWorkstationDispatch } from './workstation';
import { createRemoteClient } from '../remote/forward';
import { createRemoteExportSave } from '../remote/exports';
import { readWorkstationConfig } from '../remote/workstation-config';
import { createElectronPdfRenderer, createElectronSaveAs } from './pdf';
import { buildMenuTemplate, commandKeyEvent } from './menu';
import { cliStart, runCommandLine } from './cli-mode';
import { loadCliBundle } from './cli-bundle';
import { electronNativeBinding } from './native-binding';
import { APP_SCHEME_REGISTRATION, createAppProtocolHandler } from './protocol';
import { APP_ENTRY_URL, APP_SCHEME, hardenWebContents, lockDownSession, secureWebPreferences } from './security';
import { fitToDisplays, MIN_WINDOW_SIZE, readWindowState, trackWindowState, WINDOW_STATE_FILE } from './window-state';

export const APP_NAME = 'Reservoir';

const bundleDir = __dirname;
const appRoot = path.resolve(bundleDir, '..');
const preloadPath = path.join(bundleDir, 'preload.cjs');
const rendererDir = path.join(appRoot, 'dist', 'renderer');

function fatal(title: string, message: string): void {
  console.error(`[reservoir] ${title}: ${message}`);
  try {
    dialog.showErrorBox(title, message);
  } finally {
    app.exit(1);
  }
}

/** A new hidden window for printing a report's PDF (electron/main/pdf.ts). */
const printWindow = () => new BrowserWindow({ show: false, width: 1200, height: 900, webPreferences: secureWebPreferences(preloadPath, { devTools: false }) });

/** Resolves once stdout and stderr have handed over everything written so far. */
const flushOutput = async (): Promise<void> => {
  for (const stream of [process.stdout, process.stderr]) await new Promise<void>((resolve) => void stream.write('', () => resolve()));
};

/**
 * The command line inside the installed app (cli-mode.ts): no window, no single-instance lock (the
 * console may be open), a throw-away Chromium profile, PDFs through a hidden window's printToPDF.
 * The CLI opens databases with its own key files, exactly as under Node.
 */
function startCommandLine(args: readonly string[]): void {
  app.setName(APP_NAME);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-cli-'));
  app.setPath('userData', profile);
  app.setPath('sessionData', profile);
  const exit = (code: number) => {
    try {
      fs.rmSync(profile, { recursive: true, force: true });
    } catch {
      // a file Chromium still holds (Windows): the OS temp folder keeps it
    }
    app.exit(code);
  };
  app.disableHardwareAcceleration();
  app.dock?.hide();
  // The hidden print window closing must not end the command half-way.
  app.on('window-all-closed', () => {});
  protocol.registerSchemesAsPrivileged([APP_SCHEME_REGISTRATION]);
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, () => undefined));
  app
    .whenReady()
    .then(() => {
      protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
      lockDownSession(session.defaultSession);
      // In development Electron needs its own driver build (.electron-native/, made by npm start); a
      // command that opens no database (--help) runs without it.
      const native = electronNativeBinding({ isPackaged: app.isPackaged, appRoot, exists: fs.existsSync });
      return runCommandLine(args, {
        load: () => loadCliBundle(bundleDir),
        pdf: createElectronPdfRenderer({ createWindow: printWindow, entryUrl: APP_ENTRY_URL }),
        nativeBinding: native.ok ? native.value : undefined,
        flush: flushOutput,
        exit,
        err: (text) => void process.stderr.write(text),
      });
    })
    .catch((e: unknown) => {
      process.stderr.write(`reservoir: ${(e as Error).message}\n`);
      exit(1);
    });
}

export function startReservoir(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  process.setSourceMapsEnabled(true);
  restrictUmask(); // every file and folder written from here on is owner-only (docs/security.md)

  // `Reservoir report …`, `reservoir worklist …`, `Reservoir --cli …`: a command line, no window.
  const start = cliStart(argv, process.defaultApp === true);
  if (start.kind === 'refused') {
    // A command line with Chromium's sandbox turned off: refused before Chromium starts anything.
    process.stderr.write(start.message);
    app.exit(start.exitCode);
    return;
  }
  if (start.kind === 'command') return startCommandLine(start.args);

  // userData decides the single-instance lock, so it is fixed first (same folder in development
  // and when packaged: ~/.config/Reservoir, %APPDATA%\Reservoir, ~/Library/Application Support/Reservoir).
  app.setName(APP_NAME);
  app.setPath('userData', resolveUserDataDir(env, app.getPath('appData'), APP_NAME, process.cwd()));

  if (!app.requestSingleInstanceLock()) {
    // Another Reservoir runs on this profile: it is brought to the front (below), this one leaves.
    app.quit();
    return;
  }

  protocol.registerSchemesAsPrivileged([APP_SCHEME_REGISTRATION]);
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url)));

  let win: BrowserWindow | null = null;
  let services: ReservoirServices | null = null;
  /** The windows' sessions (ipc.ts); main reads a window's slot for its live-update stream. */
  const sessions = createSessionSlots();
  /** Connected to the clinic server: each window gets its live updates (live-updates.ts). */
  let connectedTo: { url: string; fingerprint: string; workstation: string } | null = null;
  /** The window may be (re)created: the requests are wired (local, connected or choosing). */
  let started = false;

  app.on('second-instance', () => {
    if (win === null || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });

  const createWindow = (): BrowserWindow => {
    const stateFile = path.join(app.getPath('userData'), WINDOW_STATE_FILE);
    const state = fitToDisplays(
      readWindowState(stateFile),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const icon = path.join(appRoot, 'build', 'icon.png');
    const created = new BrowserWindow({
      title: APP_NAME,
      show: false,
      width: state.width,
      height: state.height,
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      minWidth: MIN_WINDOW_SIZE.width,
      minHeight: MIN_WINDOW_SIZE.height,
      ...(!app.isPackaged && fs.existsSync(icon) ? { icon } : {}),
      webPreferences: secureWebPreferences(preloadPath, { devTools: !app.isPackaged }),
    });
    trackWindowState(created, stateFile);
    created.once('ready-to-show', () => {
      if (state.isMaximized) created.maximize();
      created.show();
    });
    created.on('closed', () => {
      if (win === created) win = null;
    });
    if (connectedTo !== null) relayChanges(created, connectedTo, () => sessions.slotOf(created.webContents));
    created.loadURL(APP_ENTRY_URL).catch((e: unknown) => console.error(`[reservoir] the console did not load: ${(e as Error).message}`));
    return created;
  };

  /** The save dialog for exports: it starts in Documents, over the console window. */
  const saveDialog = () =>
    createElectronSaveAs({
      documentsDir: () => app.getPath('documents'),
      showSaveDialog: (options) => (win !== null && !win.isDestroyed() ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options)),
    });

  const ready = (): void => {
    const args = parseLaunchArgs(argv);
    if (!args.ok) return fatal('Reservoir cannot start', args.error.message);

    // How this workstation runs (electron/remote/workstation-config.ts): a database named on the
    // command line (--db, RESERVOIR_DB, --demo) is always this computer's; otherwise the choice
    // saved in userData — the clinic server, this computer only, or not chosen yet (the choice screen).
    // A Reservoir that already keeps its database here (installed before this choice existed) stays as it was.
    const existingLocal = fs.existsSync(resolveDatabasePath({ args: args.value, env, userData: app.getPath('userData'), cwd: process.cwd() }));
    const explicitLocal = existingLocal || args.value.db !== null || (env.RESERVOIR_DB ?? '').trim() !== '' || args.value.demo || args.value.exportRecoveryKey !== undefined;
    const saved = readWorkstationConfig(app.getPath('userData'));
    if (saved.state === 'damaged') console.error(`[reservoir] ${saved.message}`);
    if (!explicitLocal && !(saved.state === 'ok' && saved.config.mode === 'local')) {
      // Connected, or not chosen yet: no database on this computer, so no patient data on its disk.
      if (saved.state !== 'ok' || saved.config.mode !== 'server') return finish(null);
      connectedTo = { url: saved.config.url, fingerprint: saved.config.fingerprint, workstation: os.hostname().split('.')[0] ?? '' };
      const remote = createRemoteClient(connectedTo);
      // Exports: the server makes the file, this computer saves it where the person chooses (remote/exports.ts).
      const exportSave = createRemoteExportSave(remote, saveDialog());
      return finish((name, input, slot) => (name === 'reports.export.save' ? exportSave(input, slot) : remote.dispatch(name, input, slot)));
    }

    const nativeBinding = electronNativeBinding({ isPackaged: app.isPackaged, appRoot, exists: fs.existsSync });
    if (!nativeBinding.ok) return fatal('Reservoir cannot open its database', nativeBinding.error.message);

    const databasePath = resolveDatabasePath({ args: args.value, env, userData: app.getPath('userData'), cwd: process.cwd() });
    // The database's key, kept by the OS keychain through safeStorage (key-store.ts); a new database gets one.
    const keyStore = safeStorageKeyStore(safeStorage, { userData: app.getPath('userData'), platform: process.platform, warn: (m) => console.error(`[reservoir] ${m}`) });
    let chosen: ReturnType<typeof chooseKey>;
    try {
      chosen = chooseKey(databasePath, keyStore);
    } catch (e) {
      return fatal('Reservoir cannot keep its database key', `${(e as Error).message}\n\nDatabase: ${databasePath}`);
    }
    if (!chosen.ok) return fatal('Reservoir cannot open its database', `${chosen.error.message}\n\nDatabase: ${databasePath}`);
    if (args.value.exportRecoveryKey !== undefined) {
      // The administrator's recovery key (docs/security.md, "Key recovery"), then quit.
      const target = path.resolve(process.cwd(), args.value.exportRecoveryKey);
      const exported = exportRecoveryKey(databasePath, chosen.value.key, target, Date.now(), nativeBinding.value);
      if (!exported.ok) return fatal('Reservoir could not export the recovery key', exported.error.message);
      console.error(`[reservoir] The recovery key of ${databasePath} is in ${exported.value}. Store it offline, then delete that file.`);
      dialog.showMessageBoxSync({ type: 'info', title: 'Recovery key exported', message: `The recovery key of ${databasePath} is in ${exported.value}.`, detail: 'Store it offline (a sealed envelope in the safe, or the clinic password manager), then delete that file.' });
      app.exit(0);
      return;
    }
    const opened = createServices({
      databasePath,
      shell: 'electron',
      key: chosen.value.key,
      backups: { automatic: true },
      backgroundIntegrityCheck: true,
      // Only the person at this desktop reaches the window: a restore in recovery mode is confirmed by typing RESTORE.
      recovery: { confirm: 'word' },
      ...(nativeBinding.value === undefined ? {} : { nativeBinding: nativeBinding.value }),
      ...(args.value.demo ? { seed: seedDemoClinic } : {}),
    });
    if (!opened.ok) return fatal('Reservoir cannot open its database', `${opened.error.message}\n\nDatabase: ${databasePath}`);
    services = opened.value;
    // Report exports: PDF through a hidden window's printToPDF; a save dialog starting in Documents.
    services.reports?.configure({
      pdf: createElectronPdfRenderer({ createWindow: printWindow, entryUrl: APP_ENTRY_URL }),
      saveAs: saveDialog(),
    });
    const status = services.status();
    if (status.state === 'recovery') console.error(`[reservoir] ${status.message} The console opens for recovery only.`);

    const dispatcher = services;
    finish((name, input, slot) => dispatcher.dispatch(name, input, slot));
  };

  /** The window, its requests (the workstation's own answered here, the rest by `inner`) and the menu. */
  const finish = (inner: Dispatch | null): void => {
    protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
    lockDownSession(session.defaultSession);
    started = true;

    registerRequestHandler(ipcMain, {
      dispatch: createWorkstationDispatch({
        userData: app.getPath('userData'),
        inner,
        // A new choice: start again in it (the database is closed, sessions in memory are dropped).
        onChanged: () => {
          app.relaunch();
          app.quit();
        },
      }),
      mainFrame: () => (win === null || win.isDestroyed() ? null : win.webContents.mainFrame),
      sessions,
    });

    app.setAboutPanelOptions({ applicationName: APP_NAME, applicationVersion: APP_VERSION });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          appName: APP_NAME,
          platform: process.platform,
          isDev: !app.isPackaged,
          showAbout: () => app.showAboutPanel(),
          onCommand: (id) => {
            const event = commandKeyEvent(id, process.platform === 'darwin');
            if (event && win !== null && !win.isDestroyed()) win.webContents.sendInputEvent(event);
          },
        }),
      ),
    );

    win = createWindow();
  };

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (started && (win === null || win.isDestroyed())) win = createWindow();
  });
  app.on('will-quit', () => {
    services?.close();
    services = null;
  });

  app
    .whenReady()
    .then(ready)
    .catch((e: unknown) => fatal('Reservoir could not start', (e as Error).message));
}

startReservoir(process.argv, process.env);
