/**
 * The load of the server benchmark (`server.ts`): simulated workstations, each with its own
 * connection and its own signed-in session, working as a refill room does — refresh the worklist
 * (a page of it), open a patient's record, type a search, record a refill (preview, then save) or
 * a dose change (preview, then save) on a running pump of the record just opened.
 *
 * Every request is timed from sending to the whole answer parsed (what a workstation waits for).
 * An answer is one of: ok; refused for a clinical reason (a write, or its preview, answered `refused` or `conflict`:
 * the rule that refused it is tallied by its message, so a run can explain every one); or an error
 * (the connection failed, an HTTP status other than 200, or any other refusal — a read refused, a
 * write refused for a reason that is not clinical, such as an invalid input or a busy database).
 */
import http from 'node:http';
import { clientHeaders, THIS_VERSION } from '../../shared/contract/version';
import type { AppError } from '../../shared/contract/result';
import type { PatientRecord, PrescriptionDrug, PumpHistory, Refill, RefillPreview, Worklist } from '../../shared/contract/record';

export const KINDS = ['worklist', 'record', 'search', 'refill preview', 'refill', 'dose-change preview', 'dose change'] as const;
export type Kind = (typeof KINDS)[number];
export const WRITES: readonly Kind[] = ['refill', 'dose change'];
/** The writes and their previews (a preview refuses what the write would, with the same message). */
const CLINICALLY_CHECKED: readonly Kind[] = [...WRITES, 'refill preview', 'dose-change preview'];

export interface Acknowledged {
  kind: 'refill' | 'dose change';
  id: number;
  pumpId: number;
  date: string;
}

export interface LoadStats {
  latencies: Record<Kind, number[]>;
  /** Clinical refusals of writes, by rule (the message with its figures taken out). */
  refusals: Map<string, number>;
  /** Errors, by kind and reason. */
  errors: Map<string, number>;
  acknowledged: Acknowledged[];
}

export const emptyStats = (): LoadStats => ({
  latencies: Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<Kind, number[]>,
  refusals: new Map(),
  errors: new Map(),
  acknowledged: [],
});

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

type Answer = { ok: true; value: unknown } | { ok: false; error: AppError };

class ClosedKeptAlive extends Error {}

/** One workstation: its own keep-alive connection, host name and session. */
export class Workstation {
  readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  session: string | null = null;
  constructor(
    readonly origin: URL,
    readonly name: string,
  ) {}

  /**
   * A contract request as a workstation sends it; throws on a transport error or a status other
   * than 200. A request sent on a kept-alive connection that the server closed meanwhile (its idle
   * timeout) is sent once more on a new connection, as browsers do; `retries` counts them.
   */
  retries = 0;
  async call(request: string, input: unknown): Promise<Answer> {
    try {
      return await this.send(request, input);
    } catch (e) {
      if (!(e instanceof ClosedKeptAlive)) throw e;
      this.retries += 1;
      return this.send(request, input);
    }
  }

  private send(request: string, input: unknown): Promise<Answer> {
    const body = JSON.stringify(input);
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(body)),
      ...clientHeaders(THIS_VERSION, this.name),
      ...(this.session ? { 'X-Reservoir-Session': this.session } : {}),
    };
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.origin.hostname, port: this.origin.port, method: 'POST', path: `/api/${request}`, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const session = res.headers['x-reservoir-session'];
          if (typeof session === 'string') this.session = session || null;
          if (res.statusCode !== 200) {
            reject(new Error(`HTTP ${res.statusCode}`));
            return;
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString()) as Answer);
          } catch {
            reject(new Error('an answer that is not JSON'));
          }
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => reject(req.reusedSocket && (e.code === 'ECONNRESET' || e.code === 'EPIPE') ? new ClosedKeptAlive(e.message) : e));
      req.end(body);
    });
  }

  async must<T>(request: string, input: unknown): Promise<T> {
    const a = await this.call(request, input);
    if (!a.ok) throw new Error(`${request} (${this.name}): ${a.error.code}: ${a.error.message}`);
    return a.value as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A request timed and classified into `stats`; the answer's value when it was ok. */
async function timed<T>(ws: Workstation, stats: LoadStats, kind: Kind, request: string, input: unknown): Promise<T | null> {
  const t = process.hrtime.bigint();
  let answer: Answer;
  try {
    answer = await ws.call(request, input);
  } catch (e) {
    bump(stats.errors, `${kind}: ${(e as Error).message}`);
    return null;
  }
  stats.latencies[kind].push(Number(process.hrtime.bigint() - t) / 1e6);
  if (answer.ok) return answer.value as T;
  const clinical = CLINICALLY_CHECKED.includes(kind) && (answer.error.code === 'refused' || answer.error.code === 'conflict');
  bump(clinical ? stats.refusals : stats.errors, `${kind}: ${answer.error.code}: ${answer.error.message.replace(/\d[\d.,:-]*/g, '#').slice(0, 160)}`);
  return null;
}

/** A small seeded random generator (mulberry32), so two runs make the same choices. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const fromNg = (ng: number, unit: PrescriptionDrug['unit']) => round3(ng / (unit === 'mg' ? 1e6 : 1e3));

/** The pump's current prescription: the last refill's drugs with the doses of the dose changes since (one flow rate: every drug scales). */
function currentDrugs(h: PumpHistory, last: Refill): PrescriptionDrug[] {
  const since = h.doseChanges.filter((c) => c.date >= last.date).at(-1);
  const typed = since ? last.drugs.find((d) => d.drug === since.drug) : undefined;
  const scale = since && typed && typed.dailyDoseNgPerDay > 0 ? since.dailyDoseNgPerDay / typed.dailyDoseNgPerDay : 1;
  return last.drugs.map((d) => ({ ...d, dailyDoseNgPerDay: d.dailyDoseNgPerDay * scale }));
}

const OVERRIDE = 'Prescription unchanged from the previous fill; reviewed with the prescribing physician.';

export interface LoadOptions {
  /** The clinic's today (YYYY-MM-DD): the date of every write. */
  today: string;
  /**
   * Mean pause between one step of a workstation and its next (ms; uniform 0 to twice this): a
   * person reading the screen. Keystrokes of a search are 80–250 ms apart whatever this is.
   */
  thinkMs: number;
}

/** One workstation's session of work until `until` (a hrtime in ns). */
export async function workstationLoop(ws: Workstation, stats: LoadStats, until: bigint, seed: number, options: LoadOptions): Promise<void> {
  const rnd = random(seed);
  const pause = () => new Promise((r) => setTimeout(r, rnd() * 2 * options.thinkMs));
  let rows: Worklist['rows'] = [];
  let record: PatientRecord | null = null;
  while (process.hrtime.bigint() < until) {
    const r = rnd();
    if (r < 0.25 || rows.length === 0) {
      // A worklist refresh: mostly the first page, sometimes a later one.
      const offset = rnd() < 0.7 ? 0 : 100 * (1 + Math.floor(rnd() * 4));
      const wl = await timed<Worklist>(ws, stats, 'worklist', 'worklist.get', { limit: 100, offset });
      if (wl && wl.rows.length > 0) rows = wl.rows;
    } else if (r < 0.55) {
      const row = rows[Math.floor(rnd() * rows.length)]!;
      record = await timed<PatientRecord>(ws, stats, 'record', 'patients.get', { id: row.patientId });
    } else if (r < 0.8) {
      // A search typed a key at a time: a name's first 2 to 5 letters, one request per keystroke.
      const name = (rows[Math.floor(rnd() * rows.length)]!.patientName.split(/[\s,]+/)[0] ?? 'ad').toLowerCase();
      const upTo = Math.min(name.length, 2 + Math.floor(rnd() * 4));
      for (let n = 2; n <= upTo && process.hrtime.bigint() < until; n++) {
        await timed(ws, stats, 'search', 'patients.list', { query: name.slice(0, n), limit: 50 });
        await new Promise((res) => setTimeout(res, 80 + rnd() * 170));
      }
    } else if (record !== null) {
      const running = record.pumps.filter((h) => h.pump.status === 'active' && h.refills.length > 0);
      const h = running[Math.floor(rnd() * running.length)];
      if (h !== undefined) {
        if (r < 0.92) await refill(ws, stats, h, options);
        else if (h.pump.kind === 'programmable') await doseChange(ws, stats, h, rnd, options);
      }
      record = null; // the next write opens a record again, as a nurse does
    }
    await pause();
  }
}

/** A refill as the form sends it: the current prescription again, the residual measured as expected, the reservoir filled. */
async function refill(ws: Workstation, stats: LoadStats, h: PumpHistory, options: LoadOptions): Promise<void> {
  const last = h.refills.at(-1)!;
  const drugs = currentDrugs(h, last).map((d) => ({ drug: d.drug, concentration: { value: fromNg(d.concentrationNgPerMl, d.unit), unit: d.unit }, dailyDose: { value: fromNg(d.dailyDoseNgPerDay, d.unit), unit: d.unit } }));
  const input = {
    pumpId: h.pump.id,
    date: options.today,
    withdrawnMl: 0,
    addedMl: h.pump.reservoirUl / 1000,
    drugs,
    mode: 'simple_continuous',
    reservoirPortConfirmed: true,
    clinician: ws.name,
    overrideReason: OVERRIDE,
    // The pump's state as the record was read (the form sends it; a refill saved since is a conflict).
    pumpState: h.state,
  };
  const preview = await timed<RefillPreview>(ws, stats, 'refill preview', 'refills.preview', input);
  if (preview === null) return;
  // The nurse withdraws what the pump was expected to hold (to 0.1 mL), so no discrepancy is flagged.
  const withdrawnMl = Math.min(h.pump.reservoirUl, Math.floor((preview.expectedResidualUl ?? 0) / 100) * 100) / 1000;
  const saved = await timed<{ refill: Refill }>(ws, stats, 'refill', 'refills.record', { ...input, withdrawnMl });
  if (saved) stats.acknowledged.push({ kind: 'refill', id: saved.refill.id, pumpId: h.pump.id, date: options.today });
}

/** A dose change of the pump's first drug: down by 5–15 % (a raise needs the drug library's step checks; a reduction is always within them). */
async function doseChange(ws: Workstation, stats: LoadStats, h: PumpHistory, rnd: () => number, options: LoadOptions): Promise<void> {
  const lead = currentDrugs(h, h.refills.at(-1)!)[0];
  if (lead === undefined) return;
  const value = fromNg(lead.dailyDoseNgPerDay * (0.85 + rnd() * 0.1), lead.unit);
  if (value <= 0) return;
  const input = { pumpId: h.pump.id, date: options.today, drug: lead.drug, dailyDose: { value, unit: lead.unit }, clinician: ws.name, note: 'Reduced for side effects (benchmark).', pumpState: h.state };
  const preview = await timed(ws, stats, 'dose-change preview', 'doseChanges.preview', input);
  if (preview === null) return;
  const saved = await timed<{ doseChange: { id: number } }>(ws, stats, 'dose change', 'doseChanges.record', input);
  if (saved) stats.acknowledged.push({ kind: 'dose change', id: saved.doseChange.id, pumpId: h.pump.id, date: options.today });
}
