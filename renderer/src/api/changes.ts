/**
 * Live updates in the console (issue 14, item 4): one stream per tab of what others saved
 * (`GET /api/events`), shared by every screen that listens. A screen asks again for what it shows
 * when a notice concerns it (`changesWorklist`, `changesRecord` in shared/contract/changes.ts).
 * The stream reconnects on its own (after a sign-in, a lock, a restart of the shell); after a
 * reconnection every listener hears `null`: something may have changed meanwhile, ask again.
 */
import { useEffect, useRef } from 'react';
import { parseEvents, readChangeNotice, type ChangeNotice } from '../../../shared/contract/changes';
import { openChangeStream } from './client';
import { onReconnected } from './connection';

export { parseEvents };

export type ChangeListener = (notice: ChangeNotice | null) => void;

const listeners = new Set<ChangeListener>();
let controller: AbortController | null = null;
const RETRY_MS = 3_000;

function tell(notice: ChangeNotice | null): void {
  for (const listener of [...listeners]) listener(notice);
}

// The server answers again after it could not be reached (also a connected workstation, which has
// no stream): anything may have changed meanwhile, every screen asks again for what it shows.
onReconnected(() => tell(null));

/**
 * The desktop app connected to the clinic server: the main process holds the stream (with the
 * window's session, through the pinned connection) and relays each notice over the preload's
 * `window.reservoirChanges`; the app on its own database sends none.
 */
function runBridged(signal: AbortSignal): boolean {
  const bridge = typeof window === 'undefined' ? undefined : window.reservoirChanges;
  if (bridge === undefined) return false;
  const off = bridge.subscribe((notice) => {
    const checked = readChangeNotice(notice);
    if (checked !== undefined) tell(checked);
  });
  signal.addEventListener('abort', off, { once: true });
  return true;
}

async function run(signal: AbortSignal): Promise<void> {
  if (runBridged(signal)) return;
  let first = true;
  while (!signal.aborted) {
    try {
      const answer = openChangeStream(signal);
      if (answer === null) return; // the desktop app without the bridge
      const res = await answer;
      if (res.ok && res.body) {
        if (!first) tell(null); // reconnected: something may have changed meanwhile
        first = false;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseEvents(buffer + value, (event, data) => {
            if (event === 'change') tell(JSON.parse(data) as ChangeNotice);
          });
        }
      }
    } catch {
      // the shell stopped, the network dropped, or the stream was stopped: try again below
    }
    if (signal.aborted) return;
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

/** Listens to what others save; answers the unsubscribe. The stream runs while anyone listens. */
export function onChange(listener: ChangeListener): () => void {
  listeners.add(listener);
  if (controller === null) {
    controller = new AbortController();
    void run(controller.signal);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && controller !== null) {
      controller.abort();
      controller = null;
    }
  };
}

/**
 * Calls `refresh` (at most once per 300 ms) when a notice passes `concerns` — or after a
 * reconnection, when anything may have changed. For the screen that shows what others may change.
 */
export function useChanges(concerns: (notice: ChangeNotice) => boolean, refresh: () => void): void {
  const latest = useRef({ concerns, refresh });
  latest.current = { concerns, refresh };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = onChange((notice) => {
      if (notice !== null && !latest.current.concerns(notice)) return;
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        latest.current.refresh();
      }, 300);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
