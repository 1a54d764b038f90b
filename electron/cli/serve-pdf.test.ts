/**
 * Who prints `reservoir serve`'s report PDFs: inside the installed app Electron's printToPDF (main.ts
 * hands it over in `io.pdf`), under Node headless Chromium through playwright-core, inside Electron
 * without a print window nobody (refused in words). The server is run in-process with a stand-in
 * for Electron's printer, and a PDF export made through its API comes out of that printer.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../services/testing/temp';
import { clientHeaders, THIS_VERSION } from '../../shared/contract/version';
import type { ReportData } from '../../shared/contract/reports';
import { runServe, servePdfProducer } from './serve';
import type { CliIo } from './args';

const electronPdf = async () => Buffer.from('%PDF-electron');

describe('servePdfProducer: the server prints with the Chromium of the process it runs in', () => {
  it("inside Electron (Reservoir serve …): Electron's printToPDF, never playwright-core", () => {
    expect(servePdfProducer({ electron: '41.10.0' }, electronPdf)).toEqual({ pdf: electronPdf, note: null });
  });
  it('under Node: the web server’s default, headless Chromium through playwright-core', () => {
    expect(servePdfProducer({ node: '20.19.0' } as { electron?: string }, undefined)).toEqual({ pdf: undefined, note: null });
  });
  it('inside Electron without a print window: PDFs refused, and the operator is told at start', () => {
    const r = servePdfProducer({ electron: '41.10.0' }, undefined);
    expect(r.pdf).toBe('none');
    expect(r.note).toMatch(/report PDFs are not available from this server.*CSV, Excel or JSON/);
  });
});

let tmp: ReturnType<typeof tempDir>;
let base: URL;
let stop: () => void;
let done: Promise<number>;
const printed: ReportData[] = [];

beforeAll(async () => {
  tmp = tempDir('reservoir-serve-pdf-');
  process.env.RESERVOIR_KEYS_DIR = tmp.file('keys');
  let text = '';
  const io: CliIo = {
    out: (t) => void (text += t),
    err: (t) => void (text += t),
    now: Date.now,
    pdf: async (data) => {
      printed.push(data);
      return Buffer.from('%PDF-1.7 printed by the injected printer\n%%EOF\n');
    },
  };
  const stopped = new Promise<string>((resolve) => (stop = () => resolve('test')));
  const listening = new Promise<string>((resolve) => {
    done = runServe(['--db', tmp.file('clinic.db'), '--plain', '--port', '0'], io, { stop: stopped, onListening: (info) => resolve(info.url) });
    void done.then(() => resolve(`stopped early: ${text}`));
  });
  base = new URL(await listening);
}, 60_000);

afterAll(async () => {
  stop?.();
  await done;
  delete process.env.RESERVOIR_KEYS_DIR;
  tmp.cleanup();
});

function request(method: 'GET' | 'POST', path: string, body: unknown, session?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method, path, agent: false, headers: { ...(body === null ? {} : { 'Content-Type': 'application/json' }), ...clientHeaders(THIS_VERSION, 'TEST-PC'), ...(session ? { 'X-Reservoir-Session': session } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, data: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body === null ? undefined : JSON.stringify(body));
  });
}

async function api<T>(name: string, input: unknown, session?: string): Promise<{ value: T; session: string | undefined }> {
  const r = await request('POST', `/api/${name}`, input, session);
  const answer = JSON.parse(r.data.toString()) as { ok: boolean; value: T };
  if (!answer.ok) throw new Error(`${name}: ${r.data.toString()}`);
  return { value: answer.value, session: r.headers['x-reservoir-session'] as string | undefined };
}

describe('reservoir serve with an injected printer (the installed app’s printToPDF)', () => {
  it('a PDF export made through the server’s API is printed by that printer, not playwright-core', async () => {
    const setup = await api('session.setup', { username: 'ada', displayName: 'Ada Lovelace', password: 'a good long password' });
    const session = setup.session!;
    const started = await api<{ jobId: string }>('reports.export.start', { params: { report: 'activity', from: '2026-01-01', to: '2026-01-31' }, format: 'pdf' }, session);
    let state = 'running';
    for (let i = 0; i < 200 && state === 'running'; i++) {
      state = (await api<{ state: string }>('reports.export.status', { jobId: started.value.jobId }, session)).value.state;
      if (state === 'running') await new Promise((r) => setTimeout(r, 50));
    }
    expect(state).toBe('done');
    const saved = await api<{ kind: string; url: string }>('reports.export.save', { jobId: started.value.jobId }, session);
    expect(saved.value.kind).toBe('download');
    const file = await request('GET', saved.value.url, null);
    expect(file.status).toBe(200);
    expect(file.data.toString()).toBe('%PDF-1.7 printed by the injected printer\n%%EOF\n');
    expect(printed).toHaveLength(1);
    expect(printed[0]!.period).toMatchObject({ from: '2026-01-01', to: '2026-01-31' });
  }, 60_000);
});
