import {
  REQUEST_NAMES,
  type InputOf,
  type OutputOf,
  type RequestName,
  type ReservoirApi,
} from '../../../shared/contract';
import type { Result } from '../../../shared/contract/result';
import type { ChangesBridge } from '../../../shared/contract/changes';
import { APP_VERSION_HEADER, clientHeaders } from '../../../shared/contract/version';
import { noteAnswer, setConnectionProbe } from './connection';

declare global {
  interface Window {
    /** Present in the Electron shell: the preload's object, one function per request. */
    reservoir?: ReservoirApi;
    /** Present in the Electron shell: live updates relayed by main (connected to the clinic server). */
    reservoirChanges?: ChangesBridge;
  }
}

/** Where the browser shell's page keeps the run's token: per origin (scheme, host and port). */
const TOKEN_KEY = 'reservoir.token';
/** Where it keeps the signed-in session id: per tab, like the desktop app's session per window. */
const SESSION_KEY = 'reservoir.session';
/** Headers the browser shell reads (electron/web/server.ts: TOKEN_HEADER, SESSION_HEADER). */
const TOKEN_HEADER = 'X-Reservoir-Token';
const SESSION_HEADER = 'X-Reservoir-Session';

/** Storage that may be unavailable (blocked by the browser): then the values live in memory only. */
function keeper(storage: () => Storage, key: string): { get(): string | null; set(value: string | null): void } {
  let memory: string | null = null;
  return {
    get() {
      try {
        return storage().getItem(key);
      } catch {
        return memory;
      }
    },
    set(value) {
      memory = value;
      try {
        if (value === null) storage().removeItem(key);
        else storage().setItem(key, value);
      } catch {
        // memory only
      }
    },
  };
}

/** No answer from the server this page came from: the plain message (the banner shows it). */
function unreachable(browserShell: boolean): Result<never> {
  const where = typeof window === 'undefined' ? '' : window.location.origin;
  const message = browserShell
    ? `Reservoir (the browser shell) at ${where} cannot be reached. Retrying… Nothing you typed is lost.`
    : `The clinic server at ${where} cannot be reached. Retrying… Nothing you typed is lost.`;
  return { ok: false, error: { code: 'unreachable', message } };
}

/**
 * The browser shell: the same requests over HTTP. No cookies (another program on another port of
 * 127.0.0.1 would receive them): the token comes once in the address (`/?token=…`), is kept in this
 * origin's localStorage and taken out of the address bar; the session id comes back in a response
 * header and is kept in this tab's sessionStorage. Both are sent as headers, which no other site can
 * add to a request without a CORS preflight the shell never approves.
 */
function httpApi(): ReservoirApi {
  const token = keeper(() => window.localStorage, TOKEN_KEY);
  const session = keeper(() => window.sessionStorage, SESSION_KEY);
  const address = typeof window === 'undefined' ? null : new URL(window.location.href);
  const given = address?.searchParams.get('token') ?? null;
  if (address !== null && given !== null) {
    token.set(given);
    address.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', address.pathname + address.search + address.hash);
  }
  const entries = REQUEST_NAMES.map((name) => [
    name,
    async (input: unknown): Promise<Result<unknown>> => {
      try {
        // The page's versions go with every request (shared/contract/version.ts); the clinic server
        // (`reservoir serve`) needs no token, sign-in is its gate.
        const headers: Record<string, string> = { 'Content-Type': 'application/json', ...clientHeaders() };
        const runToken = token.get();
        if (runToken !== null) headers[TOKEN_HEADER] = runToken;
        const id = session.get();
        if (id !== null) headers[SESSION_HEADER] = id;
        const res = await fetch(`/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers,
          credentials: 'omit',
          body: JSON.stringify(input ?? {}),
        });
        const changed = res.headers.get(SESSION_HEADER);
        if (changed !== null) session.set(changed === '' ? null : changed);
        if (res.status === 401) {
          return { ok: false, error: { code: 'unauthorized', message: 'This page has no valid token. Open the address printed by `npm run web`.' } };
        }
        let answer: Result<unknown>;
        try {
          answer = (await res.json()) as Result<unknown>;
        } catch {
          // Not Reservoir's answer (a proxy's error page, a connection cut mid-answer).
          return unreachable(runToken !== null);
        }
        // This page came from the server itself: a different contract means the server was updated
        // (or went back) while the page stayed open, and reloading the page brings the matching one.
        if (!answer.ok && answer.error.code === 'version_mismatch') {
          const server = res.headers.get(APP_VERSION_HEADER) ?? 'another version';
          return { ok: false, error: { code: 'version_mismatch', message: `Reservoir on the server is now ${server}, and this page is from an earlier one: reload the page (F5) to continue. Anything not yet saved on this page was not saved.` } };
        }
        return answer;
      } catch {
        // No answer at all: the server stopped, the network dropped. Distinct from a refusal: the
        // console says so in its banner, keeps what was typed, and asks again (connection.ts).
        return unreachable(token.get() !== null);
      }
    },
  ]);
  return Object.fromEntries(entries) as ReservoirApi;
}

const api: ReservoirApi = typeof window !== 'undefined' && window.reservoir ? window.reservoir : httpApi();

/**
 * The browser shell's live-update stream (`GET /api/events`, server-sent events) with this page's
 * token and this tab's session in headers (an EventSource cannot send them); null in the desktop
 * app, where main relays a connected workstation's notices (`window.reservoirChanges`, changes.ts).
 */
export function openChangeStream(signal: AbortSignal): Promise<Response> | null {
  if (typeof window === 'undefined' || window.reservoir) return null;
  const headers: Record<string, string> = { ...clientHeaders(), [TOKEN_HEADER]: keeper(() => window.localStorage, TOKEN_KEY).get() ?? '', Accept: 'text/event-stream' };
  const id = keeper(() => window.sessionStorage, SESSION_KEY).get();
  if (id !== null) headers[SESSION_HEADER] = id;
  return fetch('/api/events', { headers, credentials: 'omit', cache: 'no-store', signal });
}

type SessionListener = (code: 'unauthorized' | 'session_locked') => void;
const sessionListeners = new Set<SessionListener>();

/**
 * Called when any request is refused because the session ended (`unauthorized`) or locked
 * (`session_locked`), so the console can show the sign-in or lock screen. Answers the unsubscribe.
 */
export function onSessionProblem(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => void sessionListeners.delete(listener);
}

const damageListeners = new Set<() => void>();

/**
 * Called when a request is refused because the database switched to recovery mode while the
 * console was open (the full integrity check in the background failed), so the console can show
 * its recovery screen. Answers the unsubscribe.
 */
export function onDatabaseDamaged(listener: () => void): () => void {
  damageListeners.add(listener);
  return () => void damageListeners.delete(listener);
}

/** Makes one request through whichever shell the console runs in. */
export async function call<K extends RequestName>(name: K, input: InputOf<K>): Promise<Result<OutputOf<K>>> {
  const result = await (api[name] as (i: InputOf<K>) => Promise<Result<OutputOf<K>>>)(input);
  // Any answer, even a refusal, means the server is there; `unreachable` starts the banner and retries.
  if (!result.ok && result.error.code === 'unreachable') noteAnswer(false, result.error.message);
  else noteAnswer(true);
  if (!result.ok && !name.startsWith('session.') && (result.error.code === 'unauthorized' || result.error.code === 'session_locked')) {
    const code = result.error.code;
    for (const listener of sessionListeners) listener(code);
  }
  if (!result.ok && result.error.code === 'database_damaged') for (const listener of damageListeners) listener();
  return result;
}

// While the server cannot be reached, the console asks again with the lightest request there is.
setConnectionProbe(() => call('system.status', {}));
