import {
  REQUEST_NAMES,
  type InputOf,
  type OutputOf,
  type RequestName,
  type ReservoirApi,
} from '../../../shared/contract';
import type { Result } from '../../../shared/contract/result';

declare global {
  interface Window {
    /** Present in the Electron shell: the preload's object, one function per request. */
    reservoir?: ReservoirApi;
  }
}

/** The browser shell: the same requests over HTTP on loopback (the token travels as a cookie). */
function httpApi(): ReservoirApi {
  const entries = REQUEST_NAMES.map((name) => [
    name,
    async (input: unknown): Promise<Result<unknown>> => {
      try {
        const res = await fetch(`/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          credentials: 'same-origin',
          body: JSON.stringify(input ?? {}),
        });
        if (res.status === 401) {
          return { ok: false, error: { code: 'unauthorized', message: 'This page has no valid token. Open the address printed by `npm run web`.' } };
        }
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: 'Reservoir is not answering. Is the browser shell still running?' } };
      }
    },
  ]);
  return Object.fromEntries(entries) as ReservoirApi;
}

const api: ReservoirApi = typeof window !== 'undefined' && window.reservoir ? window.reservoir : httpApi();

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
  if (!result.ok && !name.startsWith('session.') && (result.error.code === 'unauthorized' || result.error.code === 'session_locked')) {
    const code = result.error.code;
    for (const listener of sessionListeners) listener(code);
  }
  if (!result.ok && result.error.code === 'database_damaged') for (const listener of damageListeners) listener();
  return result;
}
