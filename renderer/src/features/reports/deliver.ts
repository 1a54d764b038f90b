import type { ExportJobStatus } from '../../../../shared/contract/reports';
import { call } from '../../api/client';

/** What the person is told after a finished export is handed over. */
export interface DeliveryMessage {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * Hands a finished export job to the person: the desktop app saves it where they choose, the
 * browser shell downloads it once (`reports.export.save`). Used by the Reports screen and the papers.
 */
export async function deliverExport(status: ExportJobStatus): Promise<DeliveryMessage> {
  const saved = await call('reports.export.save', { jobId: status.jobId });
  if (!saved.ok) return { kind: 'error', text: saved.error.message };
  switch (saved.value.kind) {
    case 'saved':
      return { kind: 'ok', text: `Saved to ${saved.value.path}` };
    case 'download': {
      const a = document.createElement('a');
      a.href = saved.value.url;
      a.download = status.fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
      return { kind: 'ok', text: `Downloaded ${status.fileName}` };
    }
    case 'cancelled':
      return { kind: 'ok', text: 'Not saved.' };
  }
}
