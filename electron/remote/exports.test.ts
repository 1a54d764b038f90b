/**
 * Report exports on a connected workstation against a real clinic server (`reservoir serve`, here
 * in-process over HTTPS with its self-signed certificate, its PDF printer a stand-in whose bytes are
 * known): the server makes the file, the workstation writes exactly those bytes to the file the
 * person chose, and nothing else on disk.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import type tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../services/testing/temp';
import type { CliIo } from '../cli/args';
import { runServe } from '../cli/serve';
import type { ExportJobStatus, ExportSaveResult, ReportFormat } from '../../shared/contract/reports';
import { createRemoteClient, type RemoteClient, type SessionSlot } from './forward';
import { createRemoteExportSave } from './exports';

/** A "PDF" with every byte value in it: a text decoding anywhere on the way would change it. */
const PDF_BYTES = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), crypto.randomBytes(4096), Buffer.from('\n%%EOF\n')]);

let tmp: ReturnType<typeof tempDir>;
let saveDir: string;
let url: string;
let fingerprint: string;
let stop: () => void;
let done: Promise<number>;
let client: RemoteClient;
const admin: SessionSlot = { id: null };

beforeAll(async () => {
  tmp = tempDir('reservoir-remote-exports-');
  saveDir = tmp.file('Documents');
  fs.mkdirSync(saveDir);
  process.env.RESERVOIR_KEYS_DIR = tmp.file('keys');
  let text = '';
  const io: CliIo = { out: (t) => void (text += t), err: (t) => void (text += t), now: Date.now, pdf: async () => Buffer.from(PDF_BYTES) };
  const stopped = new Promise<string>((resolve) => (stop = () => resolve('test')));
  const listening = new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
    done = runServe(['--db', tmp.file('clinic.db'), '--plain', '--host', '0.0.0.0', '--port', '0'], io, {
      stop: stopped,
      onListening: (info) => resolve({ url: `https://127.0.0.1:${info.port}/`, fingerprint: info.certificate!.fingerprint }),
    });
    void done.then(() => reject(new Error(`stopped early: ${text}`)));
  });
  ({ url, fingerprint } = await listening);
  client = createRemoteClient({ url, fingerprint, workstation: 'ROOM-2' });
  const setup = await client.dispatch('session.setup', { username: 'ada', displayName: 'Ada Admin', password: 'a good long password' }, admin);
  if (!setup.ok) throw new Error(setup.error.message);
}, 60_000);

afterAll(async () => {
  stop?.();
  await done;
  delete process.env.RESERVOIR_KEYS_DIR;
  tmp.cleanup();
});

async function finishedExport(format: ReportFormat, extra: Record<string, unknown> = {}): Promise<ExportJobStatus> {
  const started = await client.dispatch('reports.export.start', { params: { report: 'activity', from: '2026-01-01', to: '2026-01-31' }, format, ...extra }, admin);
  if (!started.ok) throw new Error(started.error.message);
  const jobId = (started.value as ExportJobStatus).jobId;
  for (let i = 0; i < 400; i++) {
    const status = await client.dispatch('reports.export.status', { jobId }, admin);
    if (!status.ok) throw new Error(status.error.message);
    const value = status.value as ExportJobStatus;
    if (value.state !== 'running') return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the export did not finish');
}

/** What the server hands out for a job, fetched directly (as a browser downloads it), over the pinned certificate. */
async function serverBytes(jobId: string): Promise<Buffer> {
  const saved = await client.dispatch('reports.export.save', { jobId }, admin);
  if (!saved.ok || (saved.value as ExportSaveResult).kind !== 'download') throw new Error(JSON.stringify(saved));
  const address = new URL((saved.value as { url: string }).url, url);
  return new Promise((resolve, reject) => {
    const req = https.request({ host: address.hostname, port: address.port, path: address.pathname, agent: false, rejectUnauthorized: false }, (res) => {
      if ((res.socket as tls.TLSSocket).getPeerCertificate().fingerprint256 !== fingerprint) return reject(new Error('not the pinned server'));
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reports.export.save on a connected workstation', () => {
  it('a CSV export arrives byte-identical to what the server made, in the file chosen, owner-only, and nothing else is written', async () => {
    const chosen = path.join(saveDir, 'activity.csv');
    const asked: [string, string][] = [];
    const save = createRemoteExportSave(client, async (name, format) => {
      asked.push([name, format]);
      return chosen;
    });
    const job = await finishedExport('csv', { bom: true });
    const r = await save({ jobId: job.jobId }, admin);
    expect(r).toEqual({ ok: true, value: { kind: 'saved', path: chosen } });
    expect(asked).toEqual([[job.fileName, 'csv']]);
    const twin = await finishedExport('csv', { bom: true });
    const expected = await serverBytes(twin.jobId);
    expect(expected.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf])); // the BOM: bytes, not text
    expect(fs.readFileSync(chosen).equals(expected)).toBe(true);
    expect(fs.readdirSync(saveDir)).toEqual(['activity.csv']);
    if (process.platform !== 'win32') expect(fs.statSync(chosen).mode & 0o777).toBe(0o600);
    // Saved once: the server no longer hands it out.
    const again = await save({ jobId: job.jobId }, admin);
    expect(again.ok || again.error.code).toBe('not_found');
  }, 60_000);

  it('a PDF export (printed by the server) arrives byte-identical', async () => {
    const chosen = path.join(saveDir, 'activity.pdf');
    const save = createRemoteExportSave(client, async () => chosen);
    const job = await finishedExport('pdf');
    expect(job.state).toBe('done');
    expect(await save({ jobId: job.jobId }, admin)).toEqual({ ok: true, value: { kind: 'saved', path: chosen } });
    expect(fs.readFileSync(chosen).equals(PDF_BYTES)).toBe(true);
  }, 60_000);

  it('a write that fails (a full disk) leaves the file already there as it was, and no part of the new one', async () => {
    const dir = path.join(saveDir, 'full-disk');
    fs.mkdirSync(dir);
    const chosen = path.join(dir, 'activity.csv');
    fs.writeFileSync(chosen, 'last month, kept\n');
    const save = createRemoteExportSave(client, async () => chosen);
    const job = await finishedExport('csv');
    const full = vi.spyOn(fs, 'writeFileSync').mockImplementationOnce(() => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    });
    try {
      const r = await save({ jobId: job.jobId }, admin);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'read_only', message: expect.stringMatching(/could not be written to .*activity\.csv \(ENOSPC\); nothing was saved there/) });
    } finally {
      full.mockRestore();
    }
    expect(fs.readFileSync(chosen, 'utf8')).toBe('last month, kept\n');
    expect(fs.readdirSync(dir)).toEqual(['activity.csv']);
  }, 60_000);

  it('the dialog cancelled: nothing written, nothing asked of the server, the export can still be saved', async () => {
    const before = fs.readdirSync(saveDir);
    const job = await finishedExport('csv');
    const cancelled = await createRemoteExportSave(client, async () => null)({ jobId: job.jobId }, admin);
    expect(cancelled).toEqual({ ok: true, value: { kind: 'cancelled' } });
    expect(fs.readdirSync(saveDir)).toEqual(before);
    const chosen = path.join(saveDir, 'later.csv');
    expect((await createRemoteExportSave(client, async () => chosen)({ jobId: job.jobId }, admin)).ok).toBe(true);
    expect(fs.existsSync(chosen)).toBe(true);
  }, 60_000);

  it('not signed in, or no such job: the server’s refusal, and the dialog never opens', async () => {
    let opened = false;
    const save = createRemoteExportSave(client, async () => {
      opened = true;
      return path.join(saveDir, 'never.csv');
    });
    const job = await finishedExport('csv');
    const anonymous = await save({ jobId: job.jobId }, { id: null });
    expect(anonymous.ok || anonymous.error.code).toBe('unauthorized');
    const missing = await save({ jobId: 'f'.repeat(32) }, admin);
    expect(missing.ok || missing.error.code).toBe('not_found');
    const bad = await save({ jobId: '../../etc' }, admin);
    expect(bad.ok || bad.error.code).toBe('invalid_input');
    expect(opened).toBe(false);
    expect(fs.existsSync(path.join(saveDir, 'never.csv'))).toBe(false);
  }, 60_000);

  it('the download address is only ever the server’s one-time export address', async () => {
    const refused = await client.download('/api/patients.list', admin);
    expect(refused.ok || refused.error.code).toBe('invalid_input');
  });
});
