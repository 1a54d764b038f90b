/**
 * Whether the console can reach what answers its requests: the clinic server (`reservoir serve`,
 * directly in a browser or through a connected workstation's main process) or the browser shell.
 * A request that gets no answer is `unreachable`; from then on the console says so plainly in a
 * banner (with the time of the last answer: what is on screen may be out of date), asks again every
 * few seconds, and when an answer comes back tells every listener, so screens ask for what they
 * show again and the session is checked (a restarted server has forgotten it). Forms are not
 * touched: what was typed stays until it is saved.
 */
export const RETRY_UNREACHABLE_MS = 3_000;

export interface ConnectionState {
  /** The plain message while nothing answers; null when the last request was answered. */
  unreachable: string | null;
  /** When the last answer came (UTC ms), null before the first. */
  lastAnswerAt: number | null;
}

let state: ConnectionState = { unreachable: null, lastAnswerAt: null };
const stateListeners = new Set<(s: ConnectionState) => void>();
const backListeners = new Set<() => void>();
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let probe: (() => Promise<unknown>) | null = null;

function set(next: ConnectionState): void {
  state = next;
  for (const l of [...stateListeners]) l(state);
}

/** The request used to ask again while unreachable (a light one that needs no session). */
export function setConnectionProbe(p: () => Promise<unknown>): void {
  probe = p;
}

/** Called by the client after every request: whether it got an answer. */
export function noteAnswer(answered: boolean, message?: string): void {
  if (answered) {
    const wasDown = state.unreachable !== null;
    set({ unreachable: null, lastAnswerAt: Date.now() });
    if (retryTimer !== null) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (wasDown) for (const l of [...backListeners]) l();
    return;
  }
  if (state.unreachable !== message) set({ ...state, unreachable: message ?? 'The server cannot be reached. Retrying… Nothing you typed is lost.' });
  scheduleRetry();
}

function scheduleRetry(): void {
  if (retryTimer !== null || probe === null) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    // The probe goes through the client, which notes its answer (or schedules the next try).
    void probe?.();
  }, RETRY_UNREACHABLE_MS);
}

export function connectionState(): ConnectionState {
  return state;
}

export function onConnectionState(listener: (s: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => void stateListeners.delete(listener);
}

/** Called once each time answers come again after the server could not be reached. */
export function onReconnected(listener: () => void): () => void {
  backListeners.add(listener);
  return () => void backListeners.delete(listener);
}
