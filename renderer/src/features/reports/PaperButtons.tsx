/**
 * One click from the pump card to a paper (issue 16): the refill worksheet for today's visit and the
 * patient's card and letter after a refill. Each is a PDF export job (reports.export.start, format
 * pdf, with the user's locale for the dates); when printed it is saved (Electron: a save dialog in
 * Documents, then print it from the PDF viewer) or downloaded (browser shell).
 */
import { useEffect, useRef, useState } from 'react';
import type { ExportJobStatus, PaperName } from '../../../../shared/contract/reports';
import { call } from '../../api/client';
import { deliverExport } from './deliver';
import { appLocale } from '../../format';

const LABELS: Record<PaperName, string> = {
  'refill-worksheet': 'Print refill worksheet',
  'patient-card': "Print patient's card and letter",
};

export function PaperButtons({ patientId, pumpId, hasRefill }: { patientId: number; pumpId: number; hasRefill: boolean }) {
  const [busy, setBusy] = useState<PaperName | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const timer = useRef<number | null>(null);
  useEffect(() => () => void (timer.current !== null && window.clearTimeout(timer.current)), []);

  async function deliver(status: ExportJobStatus) {
    const message = await deliverExport(status);
    setBusy(null);
    setMessage(message);
  }

  function poll(jobId: string) {
    timer.current = window.setTimeout(async () => {
      const r = await call('reports.export.status', { jobId });
      if (!r.ok) {
        setBusy(null);
        return setMessage({ kind: 'error', text: r.error.message });
      }
      if (r.value.state === 'running') return poll(jobId);
      if (r.value.state === 'done') return deliver(r.value);
      setBusy(null);
      setMessage({ kind: 'error', text: r.value.error?.message ?? 'The PDF could not be made.' });
    }, 250);
  }

  async function print(paper: PaperName) {
    setMessage(null);
    setBusy(paper);
    const params = { report: paper, patientId, pumpId };
    const r = await call('reports.export.start', { params, format: 'pdf', locale: appLocale() });
    if (!r.ok) {
      setBusy(null);
      return setMessage({ kind: 'error', text: r.error.message });
    }
    poll(r.value.jobId);
  }

  return (
    <div className="paper-buttons no-print">
      <button type="button" className="secondary" onClick={() => void print('refill-worksheet')} disabled={busy !== null}>
        {busy === 'refill-worksheet' ? 'Printing…' : LABELS['refill-worksheet']}
      </button>{' '}
      {hasRefill && (
        <button type="button" className="secondary" onClick={() => void print('patient-card')} disabled={busy !== null}>
          {busy === 'patient-card' ? 'Printing…' : LABELS['patient-card']}
        </button>
      )}
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'field-error' : 'paper-done'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
