import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type APIResponse, type Page } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');

export interface RunningShell {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

/**
 * Starts the real browser shell (`electron/web/cli.ts`, as `npm run web` does) on a database file,
 * and resolves with the address it prints. Expects the renderer to be built (npm test builds it).
 */
export async function startShell(dbFile: string, extraArgs: string[] = []): Promise<RunningShell> {
  if (!fs.existsSync(path.join(root, 'dist/renderer/index.html'))) {
    throw new Error('dist/renderer is missing: run `npm run build:renderer` first (npm test does).');
  }
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'electron/web/cli.ts'), '--db', dbFile, ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: keysEnv(dbFile),
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser shell did not start:\n${out}`)), 30_000);
    const onData = () => {
      const m = /running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser shell exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A `YYYY-MM-DD` date as the console shows it in the tests' fixed locale (en-US, playwright.config): `11/24/2026`. */
export function shownDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${m}/${d}/${y}`;
}

/** The first en-US date (`11/24/2026`) in a text, back as `YYYY-MM-DD` (for ordering); throws if there is none. */
export function isoFromShown(text: string): string {
  const m = /(\d{2})\/(\d{2})\/(\d{4})/.exec(text);
  if (!m) throw new Error(`no MM/DD/YYYY date in "${text}"`);
  return `${m[3]}-${m[1]}-${m[2]}`;
}

/** The password of every e2e user. */
export const E2E_PASSWORD = 'e2e password 2026';
export type E2eRole = 'administrator' | 'clinician' | 'staff' | 'auditor';
/** The users `ensureUsers` creates: username = role. */
export const E2E_USERS: Record<E2eRole, string> = {
  administrator: 'Ada Administrator',
  clinician: 'Dr. Lena Lindqvist',
  staff: 'Sam Staff',
  auditor: 'Aud Auditor',
};

/** One request to the shell's HTTP API (with the run's token), as a program would send it. */
export async function apiCall(shell: RunningShell, name: string, input: unknown, session?: string): Promise<{ body: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; session: string | null }> {
  const url = new URL(shell.url);
  const token = url.searchParams.get('token')!;
  const res = await fetch(`${url.origin}/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...(session ? { 'X-Reservoir-Session': session } : {}) },
    body: JSON.stringify(input),
  });
  return { body: (await res.json()) as never, session: res.headers.get('x-reservoir-session') };
}

/**
 * On a new database, creates the administrator (first run) and one user of each other role
 * through the HTTP API, as an administrator would. Does nothing when users exist.
 */
export async function ensureUsers(shell: RunningShell): Promise<void> {
  const current = await apiCall(shell, 'session.current', {});
  if ((current.body.value as { state: string }).state !== 'setup') return;
  const setup = await apiCall(shell, 'session.setup', { username: 'administrator', displayName: E2E_USERS.administrator, password: E2E_PASSWORD });
  if (!setup.body.ok || !setup.session) throw new Error(`session.setup failed: ${JSON.stringify(setup.body)}`);
  for (const role of ['clinician', 'staff', 'auditor'] as const) {
    const r = await apiCall(shell, 'users.create', { username: role, displayName: E2E_USERS[role], role, password: E2E_PASSWORD }, setup.session);
    if (!r.body.ok) throw new Error(`users.create ${role} failed: ${JSON.stringify(r.body)}`);
  }
}

/** Signs `role` in through the API and answers the session id (as `X-Reservoir-Session` carries it). */
export async function loginSession(shell: RunningShell, role: E2eRole): Promise<string> {
  const login = await apiCall(shell, 'session.login', { username: role, password: E2E_PASSWORD });
  if (!login.body.ok || !login.session) throw new Error(`session.login ${role} failed: ${JSON.stringify(login.body)}`);
  return login.session;
}

/**
 * Opens the console signed in as `role` (username = role): creates the users if needed, opens the
 * printed address (the page keeps the token), signs in through the API, hands the session to the
 * page's tab as the console would keep it (sessionStorage) and loads `hash` (e.g. `#/patients`).
 */
export async function signIn(page: Page, shell: RunningShell, role: E2eRole = 'clinician', hash = ''): Promise<void> {
  await ensureUsers(shell);
  const origin = new URL(shell.url).origin;
  await page.goto(shell.url);
  const session = await loginSession(shell, role);
  await page.evaluate((id) => window.sessionStorage.setItem('reservoir.session', id), session);
  await page.goto(`${origin}/${hash}`);
  await page.reload(); // a change of hash alone does not load the page again
  await page.getByTestId('current-user').waitFor();
}

/**
 * `POST /api/<name>` with the signed-in page's own credentials (the token it keeps for its origin
 * and its tab's session), as a script on that page could send it.
 */
export async function pagePost(page: Page, name: string, data: unknown): Promise<APIResponse> {
  const own = await page.evaluate(() => ({
    origin: window.location.origin,
    token: window.localStorage.getItem('reservoir.token') ?? '',
    session: window.sessionStorage.getItem('reservoir.session') ?? '',
  }));
  return page.request.post(`${own.origin}/api/${name}`, { data, headers: { 'X-Reservoir-Token': own.token, 'X-Reservoir-Session': own.session } });
}

/**
 * The environment for the shell and the `reservoir` command on `dbFile`: the database's key (a new
 * database is encrypted) is kept in the test's own folder, not the user's configuration folder.
 */
export function keysEnv(dbFile: string): NodeJS.ProcessEnv {
  return { ...process.env, RESERVOIR_KEYS_DIR: path.join(path.dirname(path.resolve(dbFile)), 'keys') };
}

/** A fresh data folder for one test. */
export function freshDataDir(): { dir: string; db: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reservoir-e2e-'));
  return { dir, db: path.join(dir, 'clinic.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A test's data folder and, once started, its browser shell (see `useShell`). */
export interface ShellPerTest {
  readonly data: ReturnType<typeof freshDataDir>;
  /** The shell the test runs on (throws when none is running). */
  readonly shell: RunningShell;
  /** Starts the shell on the test's database (after `stop`, again on the same file). */
  start(extraArgs?: string[]): Promise<RunningShell>;
  stop(): Promise<void>;
}

/**
 * Gives each test of the file a fresh data folder and stops its shell and removes the folder after
 * it. With `startArgs`, the shell is started before each test (e.g. `['--demo']`); without, the test
 * starts it (`await t.start()`).
 */
export function useShell(startArgs?: string[]): ShellPerTest {
  let data: ReturnType<typeof freshDataDir> | null = null;
  let running: RunningShell | null = null;
  const t: ShellPerTest = {
    get data() {
      if (!data) throw new Error('useShell: no data folder outside a test');
      return data;
    },
    get shell() {
      if (!running) throw new Error('useShell: no shell running (call start first)');
      return running;
    },
    async start(extraArgs: string[] = []) {
      running = await startShell(t.data.db, extraArgs);
      return running;
    },
    async stop() {
      await running?.stop();
      running = null;
    },
  };
  test.beforeEach(async () => {
    data = freshDataDir();
    if (startArgs) await t.start(startArgs);
  });
  test.afterEach(async () => {
    await t.stop();
    data?.cleanup();
    data = null;
  });
  return t;
}

/** The demo clinic's today (UTC by default), as `YYYY-MM-DD`. */
export const demoToday = (): string => new Date().toISOString().slice(0, 10);

/** Signs in as a clinician and opens Thomas Brennan's record (a demo patient with a running baclofen pump). */
export async function openBrennan(page: Page, shell: RunningShell): Promise<void> {
  await signIn(page, shell);
  await page.getByRole('row', { name: /Brennan, Thomas/ }).getByRole('link', { name: 'Brennan, Thomas' }).click();
  await expect(page.getByRole('heading', { name: 'Brennan, Thomas' })).toBeVisible();
}
