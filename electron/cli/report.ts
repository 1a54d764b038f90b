/**
 * `reservoir report NAME --db FILE [--from D] [--to D] --format F --out FILE`: the app's reports and
 * exports, for scheduled runs. The same builders and writers as the app (features/reports/produce);
 * PDF (pdf-printer.ts): inside the desktop app with Electron's printToPDF (`io.pdf`); under Node it
 * starts an in-process browser shell on the file and prints its print view with headless Chromium
 * (needs the built renderer: npm run build:renderer).
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvSectionKeys, defaultCsvSection, REPORT_FORMATS, REPORT_NAMES, REPORTS, reportParams, type ReportData, type ReportFormat, type ReportName } from '../../shared/contract/reports';
import { createServices } from '../services/app';
import type { DatabaseKey } from '../services/store/keys';
import { buildReport } from '../services/features/reports/build';
import { produce } from '../services/features/reports/produce';
import { chromiumPdfRenderer } from '../services/features/reports/pdf-chromium';
import { builtRendererDir } from '../services/app-paths';
import { assertNever } from '../../shared/contract/result';
import { choosePdfPrinter } from './pdf-printer';
import { SqliteStore } from '../services/store/store';
import { startWebShell } from '../web/server';
import { EXIT, line, parseCommand, stringOption, UsageError, type CliIo, type ExitCode } from './args';
import { openStore } from './database';
import { callServer, download, RemoteError, remoteOptions } from './remote';
import type { ExportJobStatus, ExportSaveResult } from '../../shared/contract/reports';

const reportList = REPORT_NAMES.map((n) => `  ${n.padEnd(20)} ${REPORTS[n].description}\n${' '.repeat(23)}tables (CSV --section): ${csvSectionKeys(n).join(', ')}; default ${defaultCsvSection(n)}`).join('\n');

export const REPORT_HELP = `Usage: reservoir report NAME --db FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD]
                        --format csv|xlsx|pdf|json|fhir --out FILE [options]
       reservoir report NAME --server https://HOST:PORT [--token-file FILE] [--fingerprint AA:BB:…]
                        [--from …] --format F --out FILE [options]

Reports:
${reportList}

Options:
  --db FILE          the clinic database (must exist; it is only read)
  --server URL       instead of --db: the clinic server (reservoir serve); the report is made
                     there, as a personal access token, and written here
  --token-file FILE  the access token, in a file only you can read (chmod 600); else the
                     RESERVOIR_TOKEN environment variable. Never on the command line.
  --fingerprint FP   the SHA-256 fingerprint of the server's self-signed certificate (reservoir
                     serve prints it); without it the system's certificate authorities are trusted
  --from DATE        first day of the period (inclusive)
  --to DATE          last day of the period (inclusive); device-inventory: the as-of date
                     Defaults: activity, safety: the month of --to (to: today); refill-schedule:
                     today to today + the clinic's due window; patient-summary: the whole history;
                     pharmacy-preparation: today (one day), at most 31 days after --from
  --format FORMAT    csv (one table), xlsx (every table), pdf, json, fhir (activity, patient-summary)
  --out FILE         the file to write (replaced if it exists; written whole or not at all)
  --clinician NAME   refill-schedule, activity, safety: only this clinician
  --drug NAME        refill-schedule, activity: only this drug
  --months N         device-inventory: replacements due within N months (default 12)
  --model ID         device-inventory: only this device model (id from the device catalog)
  --recall-model ID  device-inventory: recall look-up on this model, with
  --serial-from S, --serial-to S   its serial range
  --patient ID       patient-summary, refill-worksheet, patient-card: the patient (record id)
  --pump ID          refill-worksheet, patient-card: the pump (record id)
  --date DATE        refill-worksheet: the visit date (default today)
  --section KEY      csv: which table, or all (every table in one, a section column); default the report's first, all for patient-summary
  --bom              csv: start with a UTF-8 byte-order mark (for Excel)
  -h, --help         show this help

PDF: the installed app prints with its own Chromium; under Node (npx reservoir) it needs the
built console (npm run build:renderer) and Chromium ($CHROMIUM_PATH, else /usr/bin/chromium). Every export is recorded in the audit trail as cli:<your user name>.
With --server the export is recorded in the server's audit trail as the token (token 'NAME' (role)).
Exit status: 0 written, 1 refused (no such patient, database or file problem, PDF unavailable;
with --server: the server unreachable, the certificate not the pinned one, the token refused),
2 bad usage.
`;

const OPTION_OF: Record<string, string> = {
  from: '--from',
  to: '--to',
  clinician: '--clinician',
  drug: '--drug',
  monthsAhead: '--months',
  deviceModelId: '--model',
  recallModelId: '--recall-model',
  serialFrom: '--serial-from',
  serialTo: '--serial-to',
  patientId: '--patient',
  pumpId: '--pump',
  date: '--date',
  report: 'NAME',
};

const wholeNumber = (option: string, raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`${option} must be a whole number (got ${JSON.stringify(raw)})`);
  return Number(raw);
};

/** The parsed options as the contract's parameters, or a usage error naming the option. */
function paramsFrom(name: ReportName, v: (k: string) => string | undefined) {
  const input: Record<string, unknown> = { report: name, from: v('from'), to: v('to') };
  if (name === 'refill-schedule' || name === 'activity' || name === 'safety') input.clinician = v('clinician');
  if (name === 'refill-schedule' || name === 'activity') input.drug = v('drug');
  if (name === 'device-inventory') {
    if (v('from') !== undefined) throw new UsageError('--from is not used by device-inventory (it is as of --to)');
    delete input.from;
    Object.assign(input, {
      monthsAhead: wholeNumber('--months', v('months')),
      deviceModelId: wholeNumber('--model', v('model')),
      recallModelId: wholeNumber('--recall-model', v('recall-model')),
      serialFrom: v('serial-from'),
      serialTo: v('serial-to'),
    });
  }
  if (name === 'patient-summary' || name === 'refill-worksheet' || name === 'patient-card') {
    input.patientId = wholeNumber('--patient', v('patient'));
    if (input.patientId === undefined) throw new UsageError(`--patient is required for ${name}`);
  }
  if (name === 'refill-worksheet' || name === 'patient-card') {
    for (const o of ['from', 'to']) if (v(o) !== undefined) throw new UsageError(`--${o} is not used by ${name}`);
    delete input.from;
    delete input.to;
    input.pumpId = wholeNumber('--pump', v('pump'));
    if (input.pumpId === undefined) throw new UsageError(`--pump is required for ${name}`);
    if (name === 'refill-worksheet') input.date = v('date');
  }
  for (const [key, option] of Object.entries(OPTION_OF))
    if (option.startsWith('--') && !(key in input) && v(option.slice(2)) !== undefined) throw new UsageError(`${option} is not used by the ${name} report`);
  const parsed = reportParams.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? 'report');
    throw new UsageError(`${OPTION_OF[key] ?? key} ${issue.message}`);
  }
  return parsed.data;
}

export async function runReport(args: string[], io: CliIo): Promise<ExitCode> {
  const strings = ['db', 'server', 'token-file', 'fingerprint', 'from', 'to', 'format', 'out', 'clinician', 'drug', 'months', 'model', 'recall-model', 'serial-from', 'serial-to', 'patient', 'pump', 'date', 'section'];
  const parsed = parseCommand(args, { ...Object.fromEntries(strings.map((s) => [s, { type: 'string' as const }])), bom: { type: 'boolean' } });
  if (parsed.help) {
    io.out(REPORT_HELP);
    return EXIT.ok;
  }
  const [name, extra] = parsed.positionals;
  if (name === undefined) throw new UsageError(`name a report: ${REPORT_NAMES.join(', ')}`);
  if (!(REPORT_NAMES as readonly string[]).includes(name)) throw new UsageError(`unknown report ${JSON.stringify(name)}; the reports are ${REPORT_NAMES.join(', ')}`);
  if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`);
  const report = name as ReportName;
  const server = stringOption(parsed, 'server');
  if (server === undefined && (stringOption(parsed, 'token-file') !== undefined || stringOption(parsed, 'fingerprint') !== undefined)) throw new UsageError('--token-file and --fingerprint go with --server');
  if (server !== undefined && stringOption(parsed, 'db') !== undefined) throw new UsageError('--db and --server exclude each other: the database file here, or the clinic server');
  const db = server === undefined ? stringOption(parsed, 'db', true) : '';
  const format = stringOption(parsed, 'format', true);
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got ${JSON.stringify(format)})`);
  const out = path.resolve(stringOption(parsed, 'out', true));
  if (fs.statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--out must name a file, not a folder (${out} is a folder)`);
  const params = paramsFrom(report, (k) => stringOption(parsed, k));
  const section = stringOption(parsed, 'section');
  const bom = parsed.values.bom === true;
  if ((section !== undefined || bom) && format !== 'csv') throw new UsageError('--section and --bom are for --format csv');
  if (section !== undefined && !csvSectionKeys(report).includes(section)) throw new UsageError(`--section must be one of ${csvSectionKeys(report).join(', ')} for ${report}`);
  if (format === 'fhir' && report !== 'activity' && report !== 'patient-summary') throw new UsageError('--format fhir is for the activity and patient-summary reports');
  if (!fs.existsSync(path.dirname(out))) {
    io.err(line(`reservoir report: the folder ${path.dirname(out)} does not exist`));
    return EXIT.refused;
  }

  if (server !== undefined) {
    const request = { params, format: format as ReportFormat, ...(bom ? { bom } : {}), ...(section !== undefined ? { section } : {}) };
    return runRemoteReport({ server, tokenFile: stringOption(parsed, 'token-file'), fingerprint: stringOption(parsed, 'fingerprint') }, request, out, io);
  }

  const opened = openStore(db, { mustExist: true, now: io.now, keys: parsed.keys, io });
  if (!opened.ok) {
    io.err(line(`reservoir report: ${opened.message}`));
    return EXIT.refused;
  }
  const { ctx } = opened.value;
  const store = ctx.store as SqliteStore;
  const partial = `${out}.partial-${process.pid}`;
  try {
    const rctx = { db: store.db, store, nowMs: io.now() };
    let bytes: number;
    let patients: number;
    let data: ReportData | null = null;
    let period: ReportData['period'];
    if (format === 'pdf') {
      const built = buildReport(rctx, params);
      if (!built.ok) {
        io.err(line(`reservoir report: ${built.error.message}`));
        return EXIT.refused;
      }
      data = built.value;
      const pdf = await printPdf(db, data, opened.value.key, io);
      if (!pdf.ok) {
        io.err(line(`reservoir report: ${pdf.message}`));
        return EXIT.refused;
      }
      fs.writeFileSync(partial, pdf.bytes, { mode: 0o600 });
      bytes = pdf.bytes.length;
      patients = data.patientCount;
      period = data.period;
    } else {
      const r = await produce(rctx, { params, format: format as ReportFormat, bom, section }, partial);
      if (!r.ok) {
        fs.rmSync(partial, { force: true });
        io.err(line(`reservoir report: ${r.error.message}`));
        return EXIT.refused;
      }
      bytes = r.value.bytes;
      patients = r.value.patientCount;
      period = r.value.period;
    }
    fs.renameSync(partial, out);
    ctx.audit.record({
      action: 'export',
      entity: 'report',
      entityId: report,
      patientId: 'patientId' in params ? params.patientId : null,
      detail: { report, format, from: period.from, to: period.to, patients, file: out, bytes },
    });
    io.out(line(`Wrote ${out}: ${REPORTS[report].title} (${format}), ${patients} patient${patients === 1 ? '' : 's'}, ${bytes} bytes.`));
    return EXIT.ok;
  } catch (e) {
    fs.rmSync(partial, { force: true });
    io.err(line(`reservoir report: could not write ${out}: ${(e as Error).message}`));
    return EXIT.refused;
  } finally {
    opened.value.close();
  }
}

/** Prints the data to PDF with the printer of this process (pdf-printer.ts). */
async function printPdf(db: string, data: ReportData, key: DatabaseKey | null, io: CliIo): Promise<{ ok: true; bytes: Buffer } | { ok: false; message: string }> {
  const choice = choosePdfPrinter(process.versions, io.pdf);
  switch (choice.kind) {
    case 'electron':
      try {
        return { ok: true, bytes: await choice.print(data) };
      } catch (e) {
        return { ok: false, message: `PDF could not be printed: ${(e as Error).message.split('\n')[0]}` };
      }
    case 'unavailable':
      return { ok: false, message: choice.message };
    case 'chromium':
      return printWithChromium(db, data, key);
  }
  return assertNever(choice, 'PDF printer');
}

/** Starts a browser shell on the file (loopback, random port and token) and prints the data to PDF with headless Chromium. */
async function printWithChromium(db: string, data: ReportData, key: DatabaseKey | null): Promise<{ ok: true; bytes: Buffer } | { ok: false; message: string }> {
  const rendererDir = builtRendererDir();
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) return { ok: false, message: 'PDF needs the built console: run `npm run build:renderer` first.' };
  const services = createServices({ databasePath: path.resolve(db), shell: 'browser', key });
  if (!services.ok) return { ok: false, message: services.error.message };
  const shell = await startWebShell({ services: services.value, rendererDir, host: '127.0.0.1', port: 0 });
  try {
    const bytes = await chromiumPdfRenderer({ origin: `http://127.0.0.1:${shell.port}`, token: shell.token })(data);
    return { ok: true, bytes };
  } catch (e) {
    return { ok: false, message: `PDF could not be printed with Chromium (set CHROMIUM_PATH to a Chromium or Chrome): ${(e as Error).message.split('\n')[0]}` };
  } finally {
    await shell.close();
    services.value.close();
  }
}

/**
 * The report made on the clinic server (as the token: reports.export.start, status, save, then its
 * one-time download) and written here, whole or not at all.
 */
async function runRemoteReport(
  flags: { server: string; tokenFile: string | undefined; fingerprint: string | undefined },
  request: { params: ReturnType<typeof paramsFrom>; format: ReportFormat; bom?: boolean; section?: string },
  out: string,
  io: CliIo,
): Promise<ExitCode> {
  const partial = `${out}.partial-${process.pid}`;
  try {
    const remote = remoteOptions(flags, io);
    let job = await callServer<ExportJobStatus>(remote, 'reports.export.start', request);
    const started = Date.now();
    while (job.state === 'running') {
      if (Date.now() - started > 30 * 60_000) throw new RemoteError('the clinic server did not finish the report within 30 minutes');
      await new Promise((r) => setTimeout(r, 200));
      job = await callServer<ExportJobStatus>(remote, 'reports.export.status', { jobId: job.jobId });
    }
    if (job.state !== 'done') throw new RemoteError(job.error?.message ?? `the report was ${job.state} on the clinic server`);
    const saved = await callServer<ExportSaveResult>(remote, 'reports.export.save', { jobId: job.jobId });
    if (saved.kind !== 'download') throw new RemoteError('the clinic server did not hand out the file (it saved it itself or the export was cancelled)');
    const data = await download(remote, saved.url);
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, out);
    const patients = job.patientCount ?? 0;
    io.out(line(`Wrote ${out}: ${REPORTS[request.params.report].title} (${request.format}), ${patients} patient${patients === 1 ? '' : 's'}, ${data.length} bytes, made on ${remote.server.origin}.`));
    return EXIT.ok;
  } catch (e) {
    fs.rmSync(partial, { force: true });
    if (e instanceof UsageError) throw e;
    io.err(line(`reservoir report: ${e instanceof RemoteError ? e.message : `could not write ${out}: ${(e as Error).message}`}`));
    return EXIT.refused;
  }
}
