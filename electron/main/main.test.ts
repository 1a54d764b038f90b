/**
 * The main process wiring, against a test double of the `electron` module (no Electron binary here).
 * `main.ts` starts itself on import, so each test sets the double up, then imports a fresh copy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../../shared/contract/names';
import { seedDemoClinic } from '../services/demo';
import { APP_ENTRY_URL, secureWebPreferences } from './security';

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const calls: string[] = [];
  const listeners = new Map<string, Listener[]>();
  const state = { lock: true, isPackaged: true, appData: '', userData: '' };
  const record = (name: string, impl: Listener = () => undefined) =>
    vi.fn((...args: unknown[]) => {
      calls.push(name);
      return impl(...args);
    });

  const app = {
    on: vi.fn((event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
      return app;
    }),
    setName: record('app.setName'),
    getPath: vi.fn((name: string) => (name === 'appData' ? state.appData : state.userData)),
    setPath: record('app.setPath', (name, value) => {
      if (name === 'userData') state.userData = value as string;
    }),
    requestSingleInstanceLock: record('app.requestSingleInstanceLock', () => state.lock),
    quit: record('app.quit'),
    exit: record('app.exit'),
    enableSandbox: record('app.enableSandbox'),
    disableHardwareAcceleration: record('app.disableHardwareAcceleration'),
    whenReady: record('app.whenReady', () => Promise.resolve()),
    setAboutPanelOptions: vi.fn(),
    showAboutPanel: vi.fn(),
    get isPackaged() {
      return state.isPackaged;
    },
  };

  const mainFrame = { url: 'app://reservoir/index.html', parent: null, frameTreeNodeId: 1 };
  const windows: FakeWindow[] = [];
  class FakeWindow {
    options: unknown;
    handlers = new Map<string, Listener>();
    webContents = { mainFrame };
    loadURL = vi.fn(async (_url: string) => {});
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    maximize = vi.fn();
    isMinimized = vi.fn(() => true);
    isDestroyed = vi.fn(() => false);
    isMaximized = vi.fn(() => false);
    getNormalBounds = vi.fn(() => ({ x: 0, y: 0, width: 1280, height: 800 }));
    constructor(options: unknown) {
      calls.push('new BrowserWindow');
      this.options = options;
      windows.push(this);
    }
    on(event: string, listener: Listener) {
      this.handlers.set(event, listener);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
  }

  const ipcHandlers = new Map<string, Listener>();
  const session = {
    defaultSession: {
      setPermissionRequestHandler: record('session.setPermissionRequestHandler'),
      setPermissionCheckHandler: record('session.setPermissionCheckHandler'),
      setDevicePermissionHandler: record('session.setDevicePermissionHandler'),
      webRequest: { onBeforeRequest: record('session.webRequest.onBeforeRequest') },
    },
  };
  const electron = {
    app,
    BrowserWindow: FakeWindow,
    dialog: { showErrorBox: record('dialog.showErrorBox') },
    ipcMain: {
      handle: record('ipcMain.handle', (channel, listener) => void ipcHandlers.set(channel as string, listener as Listener)),
      removeHandler: vi.fn((channel: string) => void ipcHandlers.delete(channel)),
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: record('Menu.setApplicationMenu') },
    protocol: { registerSchemesAsPrivileged: record('protocol.registerSchemesAsPrivileged'), handle: record('protocol.handle') },
    screen: { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }]) },
    session,
    shell: { openExternal: vi.fn(async () => {}) },
    // No keychain here: the database key goes to an owner-only key file (RESERVOIR_KEYS_DIR, a temp folder).
    safeStorage: { isEncryptionAvailable: vi.fn(() => false), encryptString: vi.fn(), decryptString: vi.fn() },
  };

  const services = {
    dispatch: vi.fn(async (name: unknown) => ({ ok: true, value: { name } })),
    status: vi.fn(() => ({ state: 'ok', message: null })),
    close: vi.fn(),
  };
  const servicesResult = { current: { ok: true, value: services } as unknown };
  const createServices = record('createServices', () => servicesResult.current);

  return { calls, listeners, state, electron, windows, ipcHandlers, mainFrame, services, servicesResult, createServices };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));
vi.mock('../services/app', () => ({ APP_VERSION: '0.0.0-test', createServices: h.createServices }));
// The bundled command line (dist-electron/cli.cjs) is not built in a unit test: a double answers.
const cli = vi.hoisted(() => ({ mainAsync: vi.fn(async (_argv: readonly string[], _io?: unknown) => 0), restrictUmask: vi.fn(), useNativeBinding: vi.fn(), processIo: { out: () => {}, err: () => {}, now: () => 0 } }));
vi.mock('./cli-bundle', () => ({ loadCliBundle: () => cli }));

const originalArgv = process.argv;
let tmp: string;

beforeEach(() => {
  vi.resetModules();
  vi.clearAllMocks();
  h.calls.length = 0;
  h.listeners.clear();
  h.windows.length = 0;
  h.ipcHandlers.clear();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-main-'));
  Object.assign(h.state, { lock: true, isPackaged: true, appData: tmp, userData: path.join(tmp, 'electron-default') });
  h.servicesResult.current = { ok: true, value: h.services };
  // This workstation runs on its own database (the first-run choice is tested below).
  fs.mkdirSync(path.join(tmp, 'Reservoir'));
  fs.writeFileSync(path.join(tmp, 'Reservoir', 'workstation.json'), '{"mode":"local"}', { mode: 0o600 });
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  process.argv = originalArgv;
  vi.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Starts main.ts as the packaged app would be started: the executable, then the arguments. */
const start = async (extraArgs: string[] = []) => {
  process.argv = ['/opt/Reservoir/reservoir', ...extraArgs];
  await import('./main');
};
const emit = (event: string, ...args: unknown[]) => h.listeners.get(event)?.forEach((l) => l(...args));

describe('main process wiring', () => {
  it('asks for the single-instance lock and quits, doing nothing else, when another Reservoir runs', async () => {
    h.state.lock = false;
    await start();
    expect(h.electron.app.requestSingleInstanceLock).toHaveBeenCalledTimes(1);
    expect(h.electron.app.quit).toHaveBeenCalled();
    expect(h.electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(h.electron.app.whenReady).not.toHaveBeenCalled();
    expect(h.windows).toHaveLength(0);
  });

  it('fixes userData to <appData>/Reservoir before taking the lock', async () => {
    await start();
    expect(h.electron.app.setPath).toHaveBeenCalledWith('userData', path.join(tmp, 'Reservoir'));
    expect(h.calls.indexOf('app.setPath')).toBeLessThan(h.calls.indexOf('app.requestSingleInstanceLock'));
  });

  it('registers app:// as privileged and enables the sandbox before ready', async () => {
    await start();
    expect(h.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(h.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(h.calls.indexOf('app.whenReady'));
    expect(h.calls.indexOf('app.enableSandbox')).toBeLessThan(h.calls.indexOf('app.whenReady'));
  });

  it('on ready: opens the database, serves app://, locks the session, listens on IPC, then opens one secure window', async () => {
    await start();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect(h.createServices).toHaveBeenCalledWith({ databasePath: path.join(tmp, 'Reservoir', 'reservoir.db'), shell: 'electron', backups: { automatic: true }, backgroundIntegrityCheck: true, recovery: { confirm: 'word' }, key: expect.objectContaining({ recoveryText: expect.any(Function) }) });
    expect(h.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(h.electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(h.electron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect(h.electron.ipcMain.handle).toHaveBeenCalledWith(IPC_CHANNEL, expect.any(Function));
    expect(h.electron.Menu.setApplicationMenu).toHaveBeenCalled();
    // everything is in place before the window exists
    for (const step of ['createServices', 'protocol.handle', 'session.setPermissionRequestHandler', 'ipcMain.handle']) {
      expect(h.calls.indexOf(step)).toBeLessThan(h.calls.indexOf('new BrowserWindow'));
    }

    const win = h.windows[0]!;
    const options = win.options as { show: boolean; title: string; webPreferences: { preload: string } };
    expect(options.show).toBe(false);
    expect(options.title).toBe('Reservoir');
    expect(options.webPreferences).toEqual(secureWebPreferences(options.webPreferences.preload, { devTools: false }));
    expect(path.basename(options.webPreferences.preload)).toBe('preload.cjs');
    expect(win.loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);

    expect(win.show).not.toHaveBeenCalled();
    win.handlers.get('ready-to-show')!();
    expect(win.show).toHaveBeenCalled();
  });

  it('dispatches IPC from the window top frame only', async () => {
    await start();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const handler = h.ipcHandlers.get(IPC_CHANNEL)!;
    await expect(handler({ senderFrame: h.mainFrame, sender: {} }, 'system.status', undefined)).resolves.toMatchObject({ ok: true });
    expect(h.services.dispatch).toHaveBeenCalledWith('system.status', undefined, { id: null });
    const sub = { url: 'app://reservoir/index.html', parent: h.mainFrame, frameTreeNodeId: 2 };
    await expect(handler({ senderFrame: sub, sender: {} }, 'patients.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.services.dispatch).toHaveBeenCalledTimes(1);
  });

  it('first run (no choice saved, no database here): no database is opened, the window asks how this workstation runs', async () => {
    fs.rmSync(path.join(tmp, 'Reservoir', 'workstation.json'));
    await start();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect(fs.existsSync(path.join(tmp, 'Reservoir', 'reservoir.db'))).toBe(false);
    const handler = h.ipcHandlers.get(IPC_CHANNEL)!;
    await expect(handler({ senderFrame: h.mainFrame, sender: {} }, 'workstation.get', {})).resolves.toEqual({ ok: true, value: { current: null, problem: null, mayChange: true } });
    await expect(handler({ senderFrame: h.mainFrame, sender: {} }, 'patients.list', {})).resolves.toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.services.dispatch).not.toHaveBeenCalled();
    expect(h.createServices).not.toHaveBeenCalled();
    // A damaged settings file: its message, and the choice again (never a crash).
    fs.writeFileSync(path.join(tmp, 'Reservoir', 'workstation.json'), '{"mode":', { mode: 0o600 });
    const damaged = (await handler({ senderFrame: h.mainFrame, sender: {} }, 'workstation.get', {})) as { ok: true; value: { current: unknown; problem: string } };
    expect(damaged.value.current).toBeNull();
    expect(damaged.value.problem).toContain('damaged');
  });

  it('guards every new web contents', async () => {
    await start();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    emit('web-contents-created', {}, contents);
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
  });

  it('brings the first window forward when a second instance starts', async () => {
    await start();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    emit('second-instance', {}, [], '/');
    expect(h.windows[0]!.restore).toHaveBeenCalled();
    expect(h.windows[0]!.focus).toHaveBeenCalled();
  });

  it('passes --db and seeds the demo clinic only with --demo', async () => {
    const db = path.join(tmp, 'clinic.db');
    await start(['--db', db, '--demo']);
    await vi.waitFor(() => expect(h.createServices).toHaveBeenCalled());
    expect(h.createServices).toHaveBeenCalledWith({ databasePath: db, shell: 'electron', backups: { automatic: true }, backgroundIntegrityCheck: true, recovery: { confirm: 'word' }, key: expect.objectContaining({ recoveryText: expect.any(Function) }), seed: expect.any(Function) });
    // main.ts was imported afresh, so its seed is a fresh copy of the demo module's function
    const options = h.createServices.mock.calls[0]![0] as { seed: (...a: unknown[]) => void };
    expect(options.seed.name).toBe(seedDemoClinic.name);
  });

  it('shows the error and quits when the database cannot be opened', async () => {
    h.servicesResult.current = { ok: false, error: { code: 'database_newer', message: 'This database was written by a newer version of Reservoir.' } };
    await start();
    await vi.waitFor(() => expect(h.electron.app.exit).toHaveBeenCalledWith(1));
    expect(h.electron.dialog.showErrorBox).toHaveBeenCalledWith('Reservoir cannot open its database', expect.stringContaining('newer version'));
    expect(h.windows).toHaveLength(0);
    expect(h.electron.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('in development, refuses to start without the Electron build of better-sqlite3', async () => {
    h.state.isPackaged = false;
    await start();
    await vi.waitFor(() => expect(h.electron.app.exit).toHaveBeenCalledWith(1));
    expect(h.electron.dialog.showErrorBox).toHaveBeenCalledWith('Reservoir cannot open its database', expect.stringContaining('.electron-native'));
    expect(h.createServices).not.toHaveBeenCalled();
  });

  it('closes the database when the app quits', async () => {
    await start();
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    emit('will-quit');
    expect(h.services.close).toHaveBeenCalled();
  });
});

describe('the installed app as a command line (no window)', () => {
  it('`Reservoir worklist …` runs the bundled CLI: no lock, no window, no database of its own; exits with the CLI\'s code', async () => {
    cli.mainAsync.mockResolvedValueOnce(2);
    await start(['worklist', '--db', 'clinic.db', '--days', 'x']);
    await vi.waitFor(() => expect(h.electron.app.exit).toHaveBeenCalledWith(2));
    expect(cli.mainAsync).toHaveBeenCalledWith(['worklist', '--db', 'clinic.db', '--days', 'x'], expect.objectContaining({ pdf: expect.any(Function) }));
    expect(cli.restrictUmask).toHaveBeenCalled();
    expect(cli.useNativeBinding).toHaveBeenCalledWith(undefined); // packaged: electron-builder rebuilt the driver in place
    expect(h.electron.app.requestSingleInstanceLock).not.toHaveBeenCalled();
    expect(h.windows).toHaveLength(0);
    expect(h.createServices).not.toHaveBeenCalled();
    expect(h.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(h.electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
    // a throw-away profile, not the console's (which may be open)
    const userData = vi.mocked(h.electron.app.setPath).mock.calls.find(([name]) => name === 'userData')![1] as string;
    expect(path.basename(userData)).toMatch(/^reservoir-cli-/);
    expect(fs.existsSync(userData)).toBe(false); // removed before exit
    // the print window's app:// is served, sandboxed, from the same hardened session
    expect(h.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(h.electron.app.enableSandbox).toHaveBeenCalled();
    expect(h.electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    // closing the hidden print window does not quit half-way
    expect(h.listeners.get('window-all-closed')).toHaveLength(1);
  });

  it("`Reservoir --cli report …` prints PDFs in a hidden, secure window (Electron's own Chromium)", async () => {
    cli.mainAsync.mockImplementationOnce(async (_argv, io) => {
      const pdf = (io as { pdf: (d: unknown) => Promise<Buffer> }).pdf;
      void pdf({}).catch(() => undefined); // the fake window never becomes ready; only its creation is checked
      return 0;
    });
    await start(['--cli', 'report', 'activity']);
    await vi.waitFor(() => expect(h.electron.app.exit).toHaveBeenCalledWith(0));
    expect(cli.mainAsync.mock.calls.at(-1)![0]).toEqual(['report', 'activity']);
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    const options = h.windows[0]!.options as { show: boolean; webPreferences: { preload: string } };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual(secureWebPreferences(options.webPreferences.preload, { devTools: false }));
  });

  it('`Reservoir --db clinic.db` is still the console', async () => {
    await start(['--db', path.join(tmp, 'clinic.db')]);
    await vi.waitFor(() => expect(h.windows).toHaveLength(1));
    expect(cli.mainAsync).not.toHaveBeenCalled();
  });
});
