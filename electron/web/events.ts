/**
 * `GET /api/events`: live updates as server-sent events (issue 14, item 4). The page opens it with
 * `fetch` (an EventSource cannot send headers) with the run's token and its session, like every
 * other request; what it streams are notices of what changed (kinds and ids, never patient data):
 *
 *     event: change
 *     data: {"kind":"record","patientId":12,"pumpId":30}
 *
 * A comment line every 20 s keeps proxies and the browser from closing an idle stream. The stream
 * ends when the session ends, locks are skipped (nothing is sent while locked), and the shell closes
 * every stream when it stops.
 */
import type http from 'node:http';
import type { ReservoirServices, SessionSlot } from '../services/app';
import type { ChangeNotice } from '../../shared/contract/changes';
import { fail, type Result } from '../../shared/contract/result';

export const EVENTS_PATH = '/api/events';
const HEARTBEAT_MS = 20_000;

/** Answers a refusal (before anything was streamed) with its HTTP status. */
type Refuse = (status: number, body: Result<never>) => void;

export function serveEvents(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  services: ReservoirServices,
  slot: SessionSlot,
  headers: Record<string, string>,
  refuse: Refuse,
): void {
  if (services.subscribe === undefined) {
    refuse(404, fail('unknown_request', 'This shell has no live updates.'));
    return;
  }
  let open = true;
  let unsubscribe: (() => void) | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  const finish = () => {
    if (!open) return;
    open = false;
    if (heartbeat !== null) clearInterval(heartbeat);
    unsubscribe?.();
    res.end();
  };
  const write = (notice: ChangeNotice) => {
    if (open) res.write(`event: change\ndata: ${JSON.stringify({ kind: notice.kind, patientId: notice.patientId, pumpId: notice.pumpId })}\n\n`);
  };
  const subscribed = services.subscribe(slot, write, finish);
  if (!subscribed.ok) {
    refuse(subscribed.error.code === 'session_locked' || subscribed.error.code === 'unauthorized' ? 401 : 503, subscribed);
    return;
  }
  unsubscribe = subscribed.value;
  res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
  res.write(': connected\nretry: 3000\n\n');
  heartbeat = setInterval(() => open && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', finish);
  res.on('error', finish);
}
