/**
 * Live updates on a connected workstation (issue 14, item 4): the Electron main process holds, for
 * each console window, the clinic server's `GET /api/events` stream (server-sent events) with that
 * window's session, through the same pinned TLS connection as every forwarded request
 * (forward.ts's `pinnedSocket`: the certificate's fingerprint is checked before a byte — the
 * session id included — is written). Each notice is handed to `deliver`, which main relays to the
 * window's renderer on the one changes channel (shared/contract/names.ts `CHANGES_CHANNEL`).
 *
 * - No session in the window (signed out, the first run): nothing is opened; the slot is looked at
 *   again every `idleMs`.
 * - The stream ends or cannot be opened (the server restarts, the network drops, the session is
 *   locked or ended): it is opened again after a back-off that doubles from `firstRetryMs` up to
 *   `maxRetryMs` (5 s at most after the server refused, e.g. a locked session), and starts over after
 *   a stream that was open. After every reopening `deliver(null)`
 *   tells the screens to ask again (something may have changed meanwhile).
 * - The window's session changes (another person signs in): the stream is reopened with the new one.
 * - Silence longer than `silenceMs` (the server sends a comment every 20 s): the connection is taken
 *   for dead and reopened.
 * - `stop()` (the window closed): the stream is closed and never reopened.
 *
 * Plain Node (no Electron): tests run it against a real `reservoir serve` child process.
 */
import http from 'node:http';
import os from 'node:os';
import { parseEvents, readChangeNotice, type ChangeNotice } from '../../shared/contract/changes';
import { clientHeaders, THIS_VERSION, type PeerVersion } from '../../shared/contract/version';
import { pinnedSocket, SESSION_HEADER } from './forward';

export const EVENTS_PATH = '/api/events';

export interface ChangeStreamOptions {
  /** The clinic server, `https://host:port`. */
  url: string;
  /** The pinned SHA-256 fingerprint of its certificate. */
  fingerprint: string;
  /** The window's session id right now (its session slot in main), or null when signed out. */
  session(): string | null;
  /** Each notice (null: reopened, ask again). */
  deliver(notice: ChangeNotice | null): void;
  /** What happened, for the log (a refused pin, a refusal by the server). */
  log?(message: string): void;
  workstation?: string;
  version?: PeerVersion;
  firstRetryMs?: number;
  maxRetryMs?: number;
  idleMs?: number;
  silenceMs?: number;
  connectTimeoutMs?: number;
}

export interface ChangeStream {
  /** Closes the stream for good (the window closed). */
  stop(): void;
  /** Whether a stream is open right now (tests, diagnostics). */
  readonly open: boolean;
}

/** How one attempt ended. */
type Ended = { kind: 'streamed' } | { kind: 'refused'; status: number; body: string } | { kind: 'pin'; message: string } | { kind: 'unreachable' } | { kind: 'stopped' };

export function openChangeStream(options: ChangeStreamOptions): ChangeStream {
  const url = new URL(options.url);
  if (url.protocol !== 'https:') throw new Error(`The clinic server address must be https://, not ${url.protocol}`);
  const origin = url.origin;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? 443 : Number(url.port);
  const firstRetryMs = options.firstRetryMs ?? 1_000;
  const maxRetryMs = options.maxRetryMs ?? 15_000;
  const idleMs = options.idleMs ?? 500;
  const silenceMs = options.silenceMs ?? 50_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const workstation = options.workstation ?? os.hostname().split('.')[0] ?? '';
  const version = options.version ?? THIS_VERSION;
  const log = options.log ?? (() => {});

  let stopped = false;
  let isOpen = false;
  /** Ends the attempt in progress (stop(), a new session, silence). */
  let cancel: (() => void) | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  function attempt(session: string, onOpen: () => void): Promise<Ended> {
    return new Promise((resolve) => {
      let settled = false;
      const finish = (ended: Ended) => {
        if (settled) return;
        settled = true;
        isOpen = false;
        cancel = null;
        clearInterval(watch);
        resolve(ended);
      };
      let lastHeard = Date.now();
      let req: http.ClientRequest | null = null;
      // The window's session changed, or the server went silent: this stream is over.
      const watch = setInterval(() => {
        if (options.session() !== session || (isOpen && Date.now() - lastHeard > silenceMs)) {
          req?.destroy();
          finish(isOpen ? { kind: 'streamed' } : { kind: 'unreachable' });
        }
      }, Math.min(idleMs, 1_000));
      cancel = () => {
        req?.destroy();
        finish({ kind: 'stopped' });
      };
      void pinnedSocket(host, port, options.fingerprint, origin, connectTimeoutMs).then((connected) => {
        if (settled) {
          if (connected.ok) connected.socket.destroy();
          return;
        }
        if (!connected.ok) {
          finish(connected.code === 'forbidden' ? { kind: 'pin', message: connected.message } : { kind: 'unreachable' });
          return;
        }
        req = http.request(
          {
            method: 'GET',
            path: EVENTS_PATH,
            host: url.host,
            createConnection: () => connected.socket,
            headers: { Host: url.host, ...clientHeaders(version, workstation), [SESSION_HEADER]: session, Accept: 'text/event-stream' },
          },
          (res) => {
            res.setEncoding('utf8');
            if (res.statusCode !== 200) {
              let body = '';
              res.on('data', (c: string) => (body += c.slice(0, 2_000)));
              res.on('end', () => finish({ kind: 'refused', status: res.statusCode ?? 0, body }));
              res.on('error', () => finish({ kind: 'unreachable' }));
              return;
            }
            isOpen = true;
            lastHeard = Date.now();
            onOpen();
            let buffer = '';
            res.on('data', (chunk: string) => {
              lastHeard = Date.now();
              buffer = parseEvents(buffer + chunk, (event, data) => {
                if (event !== 'change') return;
                let parsed: unknown;
                try {
                  parsed = JSON.parse(data);
                } catch {
                  return;
                }
                const notice = readChangeNotice(parsed);
                if (notice) options.deliver(notice);
              });
              if (buffer.length > 64 * 1024) req?.destroy(); // not Reservoir's stream
            });
            res.on('end', () => finish({ kind: 'streamed' }));
            res.on('close', () => finish({ kind: 'streamed' }));
            res.on('error', () => finish({ kind: 'streamed' }));
          },
        );
        req.on('error', () => finish(isOpen ? { kind: 'streamed' } : { kind: 'unreachable' }));
        req.end();
      });
    });
  }

  async function loop(): Promise<void> {
    let delay = firstRetryMs;
    let openedBefore = false;
    let lastRefusal = '';
    while (!stopped) {
      const session = options.session();
      if (session === null) {
        delay = firstRetryMs;
        await sleep(idleMs);
        continue;
      }
      const ended = await attempt(session, () => {
        if (openedBefore) options.deliver(null); // reopened: something may have changed meanwhile
        openedBefore = true;
        lastRefusal = '';
      });
      if (stopped || ended.kind === 'stopped') return;
      if (ended.kind === 'streamed') {
        delay = firstRetryMs;
        if (options.session() !== session) continue; // a new session: at once
      } else {
        const why = ended.kind === 'pin' ? ended.message : ended.kind === 'refused' ? `the clinic server refused live updates (HTTP ${ended.status}: ${ended.body.slice(0, 200)})` : `the clinic server at ${origin} cannot be reached for live updates`;
        if (why !== lastRefusal) log(`[reservoir] ${why}; trying again`);
        lastRefusal = why;
      }
      // Wait, but wake early when the window's session changes (a sign-in after a lock or a sign-out).
      const until = Date.now() + delay;
      while (!stopped && Date.now() < until && options.session() === session) await sleep(Math.min(idleMs, until - Date.now()));
      // A refusal (a locked session, mostly) is asked again sooner: the unlock comes from this window.
      delay = Math.min(delay * 2, ended.kind === 'refused' ? Math.min(maxRetryMs, 5_000) : maxRetryMs);
    }
  }

  void loop();

  return {
    stop() {
      stopped = true;
      cancel?.();
      wake?.();
    },
    get open() {
      return isOpen;
    },
  };
}
