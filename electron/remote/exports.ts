/**
 * Report exports on a connected workstation (issue 14, item 2: "the workstation keeps no patient data
 * on disk beyond files the user saves"). The clinic server makes the file (its export job, its PDF
 * printer); `reports.export.save` is answered here, in the workstation's main process:
 *
 * 1. the job's status from the server (`reports.export.status`): its file name and format;
 * 2. the save dialog on this computer (the same one as on the app's own database, pdf.ts); cancelled:
 *    nothing asked of the server, the job stays there to be saved later;
 * 3. the server's `reports.export.save` (audited there) answers a one-time download address;
 * 4. the bytes, through the pinned connection (forward.ts `download`), written owner-only to the
 *    file the person chose (through a new file beside it, renamed over it: a failed write leaves a file
 *    already there untouched and no part of the new one).
 *
 * Plain Node: tests run it against a real `reservoir serve`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { exportJobInput, type ExportJobStatus, type ExportSaveResult } from '../../shared/contract/reports';
import { fail, ok, type Result } from '../../shared/contract/result';
import { PRIVATE_FILE_MODE } from '../services/store/private-files';
import type { SaveAs } from '../services/features/reports/jobs';
import type { RemoteClient, SessionSlot } from './forward';

/**
 * Writes `bytes` to `file` owner-only, all or nothing: into a new file beside it, synced, then
 * renamed over it, so a failed write (a full disk, a lost folder) leaves a file that was already
 * there as it was and no part of the new one. Answers the reason on failure.
 */
function writeChosenFile(file: string, bytes: Buffer): string | null {
  const part = path.join(path.dirname(file), `.${path.basename(file)}.${crypto.randomBytes(6).toString('hex')}.part`);
  let fd: number | null = null;
  try {
    fd = fs.openSync(part, 'wx', PRIVATE_FILE_MODE);
    if (process.platform !== 'win32') fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(part, file);
    return null;
  } catch (e) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
    try {
      fs.rmSync(part, { force: true });
    } catch {
      // nothing more to do
    }
    return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
}

/** `reports.export.save` for a connected workstation: the server's file, saved where the person chooses. */
export function createRemoteExportSave(client: Pick<RemoteClient, 'dispatch' | 'download'>, saveAs: SaveAs): (input: unknown, session: SessionSlot) => Promise<Result<ExportSaveResult>> {
  return async (input, session) => {
    const parsed = exportJobInput.safeParse(input);
    if (!parsed.success) return fail('invalid_input', `jobId: ${parsed.error.issues[0]?.message ?? 'must be an export job id'}`, 'jobId');
    const status = await client.dispatch('reports.export.status', parsed.data, session);
    if (!status.ok) return status;
    const job = status.value as ExportJobStatus;
    if (job.state !== 'done') return fail('conflict', `The export is ${job.state}, not ready to save.`, 'jobId');
    const target = await saveAs(job.fileName, job.format);
    if (target === null) return ok({ kind: 'cancelled' });
    const saved = await client.dispatch('reports.export.save', parsed.data, session);
    if (!saved.ok) return saved;
    const answer = saved.value as ExportSaveResult;
    if (answer.kind !== 'download') return fail('internal', 'The clinic server did not hand the export over; nothing was saved. Export it again.');
    const bytes = await client.download(answer.url, session);
    if (!bytes.ok) return bytes;
    const problem = writeChosenFile(target, bytes.value);
    if (problem !== null) return fail('read_only', `The export could not be written to ${target} (${problem}); nothing was saved there. Export it again and choose another folder.`);
    return ok({ kind: 'saved', path: target });
  };
}
