/**
 * Export jobs. Each export runs in a worker thread (worker.ts) on its own read-only connection, so
 * the dispatcher and the window stay responsive; the main side keeps its status (progress,
 * state), can cancel it (the worker is terminated and the partial file deleted), and hands the
 * finished file out once: to a save dialog (Electron) or as a one-time download (browser shell).
 * PDF jobs: the worker builds the data; the shell's PDF renderer prints it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  FORMAT_EXTENSIONS,
  type ExportJobStatus,
  type ExportSaveResult,
  type ReportData,
  type ReportFormat,
  type ReportParams,
} from '../../../../shared/contract/reports';
import { fail, ok, type AppError, type Result } from '../../../../shared/contract/result';
import type { ProduceRequest } from './produce';
import type { WorkerInput, WorkerMessage } from './worker';
import { storageError } from '../../storage-errors';
import { EXPORTS_PREFIX, exportFileName, MIME, sweepStaleExports } from './files';
import { tightenFile } from '../../store/private-files';
import { nativeBindingFor } from '../../store/connect';
import type { DatabaseKey } from '../../store/keys';

/** Prints report data to PDF bytes (Electron printToPDF, or headless Chromium). */
export type PdfRenderer = (data: ReportData) => Promise<Buffer>;
/** Asks where to save (a save dialog starting in the documents folder); null when cancelled. */
export type SaveAs = (suggestedName: string, format: ReportFormat) => Promise<string | null>;

/** How the shell prints PDF and asks where to save; shared by every services instance of a shell (a restore reopens them). */
export interface ExportShell {
  pdf: PdfRenderer | null;
  saveAs: SaveAs | null;
}

export interface JobsOptions {
  databasePath: string;
  nativeBinding?: string | undefined;
  /** The database's key (store/keys.ts), handed to the worker's own connection. */
  key?: DatabaseKey | null | undefined;
  now: () => number;
  /** Where unfinished and unsaved exports wait (default: a private folder in the OS temp dir). */
  tempDir?: string;
  /** The shell's hooks (`configure` fills them in); default: none (no PDF; browser downloads). */
  shell?: ExportShell | undefined;
  /** The worker script; default: dist-electron/report-worker.cjs when bundled, else worker.ts through tsx. */
  worker?: { file: string; tsx: boolean };
}

interface Job {
  id: string;
  status: ExportJobStatus;
  request: ProduceRequest;
  file: string;
  worker: Worker | null;
  /** The one-time key of the browser download. */
  downloadKey: string | null;
  /** The period the export covers (defaults filled in), once known. */
  period: ReportData['period'] | null;
}


export function defaultWorker(): { file: string; tsx: boolean } {
  const bundled = typeof __dirname === 'string' ? path.join(__dirname, 'report-worker.cjs') : null;
  if (bundled !== null && fs.existsSync(bundled)) {
    // Packaged: a worker cannot start from inside app.asar; electron-builder unpacks it beside it.
    const unpacked = bundled.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    return { file: unpacked !== bundled && fs.existsSync(unpacked) ? unpacked : bundled, tsx: false };
  }
  return { file: fileURLToPath(new URL('./worker.ts', import.meta.url)), tsx: true };
}

/** A worker on `file`; a TypeScript file is loaded through tsx (tests, the CLI, the browser shell). */
function spawnWorker(entry: { file: string; tsx: boolean }, workerData: WorkerInput): Worker {
  if (!entry.tsx) return new Worker(entry.file, { workerData });
  const url = pathToFileURL(entry.file).href;
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); }).catch((e) => { throw e; });`;
  return new Worker(boot, { eval: true, workerData });
}

export class ExportJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly dir: string;
  private readonly shell: ExportShell;

  constructor(private readonly options: JobsOptions) {
    this.shell = options.shell ?? { pdf: null, saveAs: null };
    if (options.tempDir === undefined) sweepStaleExports(os.tmpdir(), Date.now());
    this.dir = options.tempDir ?? fs.mkdtempSync(path.join(os.tmpdir(), EXPORTS_PREFIX));
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** The shell says how it prints PDF and how it asks where to save. */
  configure(shell: { pdf?: PdfRenderer; saveAs?: SaveAs }): void {
    if (shell.pdf) this.shell.pdf = shell.pdf;
    if (shell.saveAs) this.shell.saveAs = shell.saveAs;
  }

  start(request: ProduceRequest): Result<ExportJobStatus> {
    if (request.format === 'pdf' && this.shell.pdf === null)
      return fail('refused', 'PDF needs the built console and a Chromium browser, and this shell has neither; choose CSV, Excel or JSON.', 'format');
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 }); // another instance may have swept an idle folder
    const id = crypto.randomBytes(16).toString('hex');
    const fileName = exportFileName(request.params, request.format, request.section);
    const file = path.join(this.dir, `${id}.${FORMAT_EXTENSIONS[request.format]}`);
    const status: ExportJobStatus = { jobId: id, state: 'running', progress: 0, fileName, format: request.format, bytes: null, patientCount: null, error: null };
    const job: Job = { id, status, request, file, worker: null, downloadKey: null, period: null };
    this.jobs.set(id, job);
    const input: WorkerInput = {
      databasePath: this.options.databasePath,
      ...(nativeBindingFor(this.options) ? { nativeBinding: nativeBindingFor(this.options)! } : {}),
      ...(this.options.key ? { keyHex: this.options.key.workerSecret() } : {}),
      request,
      outFile: file,
      nowMs: this.options.now(),
    };
    const worker = spawnWorker(this.options.worker ?? defaultWorker(), input);
    job.worker = worker;
    worker.on('message', (m: WorkerMessage) => void this.onMessage(job, m));
    worker.on('error', (e) => this.finishFailed(job, { code: 'internal', message: `The export could not be made: ${e.message}` }));
    worker.on('exit', () => {
      job.worker = null;
      if (job.status.state === 'running' && job.status.format !== 'pdf') this.finishFailed(job, { code: 'internal', message: 'The export stopped unexpectedly.' });
    });
    return ok({ ...status });
  }

  private async onMessage(job: Job, m: WorkerMessage): Promise<void> {
    if (job.status.state !== 'running') return;
    switch (m.type) {
      case 'progress':
        job.status.progress = Math.min(job.request.format === 'pdf' ? 0.5 : 0.99, Math.max(job.status.progress, m.fraction * (job.request.format === 'pdf' ? 0.5 : 1)));
        return;
      case 'crash':
        console.error('[reservoir] export failed:', m.message);
        return this.finishFailed(job, storageError(m) ?? { code: 'internal', message: 'The export could not be made; nothing was written. Please try again.' });
      case 'done': {
        const r = m.result;
        if (!r.ok) return this.finishFailed(job, r.error);
        job.period = r.value.period;
        if (job.request.format === 'pdf') return this.printPdf(job, job.request.locale ? { ...r.value.data!, locale: job.request.locale } : r.value.data!);
        job.status = { ...job.status, state: 'done', progress: 1, bytes: r.value.bytes, patientCount: r.value.patientCount };
        return;
      }
    }
  }

  private async printPdf(job: Job, data: ReportData): Promise<void> {
    job.status.progress = 0.5;
    try {
      const bytes = await this.shell.pdf!(data);
      if (job.status.state !== 'running') return; // cancelled while printing
      fs.writeFileSync(job.file, bytes, { mode: 0o600 });
      job.status = { ...job.status, state: 'done', progress: 1, bytes: bytes.length, patientCount: data.patientCount };
    } catch (e) {
      console.error('[reservoir] PDF failed:', (e as Error).message);
      this.finishFailed(job, storageError(e) ?? { code: 'internal', message: `The PDF could not be printed: ${(e as Error).message}` });
    }
  }

  private finishFailed(job: Job, error: AppError): void {
    if (job.status.state !== 'running') return;
    job.status = { ...job.status, state: 'failed', error };
    void job.worker?.terminate();
    fs.rmSync(job.file, { force: true });
  }

  status(jobId: string): Result<ExportJobStatus> {
    const job = this.jobs.get(jobId);
    return job ? ok({ ...job.status }) : fail('not_found', 'There is no such export (it was saved, cancelled or the app restarted).', 'jobId');
  }

  /** Stops a running export (its partial file is deleted) or discards a finished, unsaved one. */
  async cancel(jobId: string): Promise<Result<ExportJobStatus>> {
    const job = this.jobs.get(jobId);
    if (!job) return this.status(jobId);
    if (job.status.state === 'running' || job.status.state === 'done') job.status = { ...job.status, state: 'cancelled' };
    if (job.worker) await job.worker.terminate();
    fs.rmSync(job.file, { force: true });
    return ok({ ...job.status });
  }

  /**
   * The report's data, built in a worker on its own read-only connection (the preview), so a
   * large report never blocks the dispatcher.
   */
  buildData(params: ReportParams): Promise<Result<ReportData>> {
    const input: WorkerInput = {
      databasePath: this.options.databasePath,
      ...(nativeBindingFor(this.options) ? { nativeBinding: nativeBindingFor(this.options)! } : {}),
      ...(this.options.key ? { keyHex: this.options.key.workerSecret() } : {}),
      request: { params, format: 'pdf' }, // pdf: the data, no file
      outFile: '',
      nowMs: this.options.now(),
    };
    return new Promise((resolve) => {
      let settled = false;
      const settle = (r: Result<ReportData>) => {
        if (!settled) resolve(r);
        settled = true;
      };
      const failed = (message: string, code?: string) => {
        if (!settled) console.error('[reservoir] report preview failed:', message);
        const storage = storageError({ code }); // a busy or unreadable database, said as such
        settle(storage !== null ? { ok: false, error: storage } : fail('internal', 'The report could not be built; please try again.'));
      };
      const worker = spawnWorker(this.options.worker ?? defaultWorker(), input);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'done') settle(m.result.ok ? ok(m.result.value.data!) : m.result);
        else if (m.type === 'crash') failed(m.message, m.code);
      });
      worker.on('error', (e) => failed(e.message));
      worker.on('exit', () => failed('the worker stopped before answering'));
    });
  }

  /** Waits until the job is no longer running (tests and the command line). */
  async settle(jobId: string, pollMs = 20): Promise<ExportJobStatus | null> {
    for (;;) {
      const job = this.jobs.get(jobId);
      if (!job) return null;
      if (job.status.state !== 'running') return { ...job.status };
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /**
   * Hands a finished export out: Electron asks where (save dialog) and copies it there; the browser
   * shell gets a one-time download address. `onDelivered` records the audit entry.
   */
  async save(jobId: string, onDelivered: (status: ExportJobStatus, where: string, request: ProduceRequest, period: ReportData['period'] | null) => void): Promise<Result<ExportSaveResult>> {
    const job = this.jobs.get(jobId);
    if (!job) return fail('not_found', 'There is no such export (it was saved, cancelled or the app restarted).', 'jobId');
    if (job.status.state !== 'done') return fail('conflict', `The export is ${job.status.state}, not ready to save.`, 'jobId');
    if (this.shell.saveAs === null) {
      job.downloadKey = crypto.randomBytes(16).toString('hex');
      onDelivered(job.status, 'browser download', job.request, job.period);
      return ok({ kind: 'download', url: `/exports/${job.id}/${job.downloadKey}/${encodeURIComponent(job.status.fileName)}` });
    }
    const target = await this.shell.saveAs(job.status.fileName, job.status.format);
    if (target === null) return ok({ kind: 'cancelled' });
    fs.copyFileSync(job.file, target);
    tightenFile(target); // owner-only, like every file Reservoir writes
    onDelivered(job.status, target, job.request, job.period);
    this.forget(job);
    return ok({ kind: 'saved', path: target });
  }

  /** The browser shell's download: the file once, for the key `save` gave out; then it is gone. */
  takeDownload(jobId: string, key: string): { data: Buffer; fileName: string; contentType: string } | null {
    const job = this.jobs.get(jobId);
    if (!job || job.downloadKey === null || job.status.state !== 'done') return null;
    const a = Buffer.from(job.downloadKey);
    const b = Buffer.from(key);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return null;
    const data = fs.readFileSync(job.file);
    this.forget(job);
    return { data, fileName: job.status.fileName, contentType: MIME[job.status.format] };
  }

  private forget(job: Job): void {
    fs.rmSync(job.file, { force: true });
    this.jobs.delete(job.id);
  }

  /** Stops every job and deletes every file (the app is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.worker?.terminate()));
    this.jobs.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
