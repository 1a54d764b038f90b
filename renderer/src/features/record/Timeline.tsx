import { useState } from 'react';
import { recordedByText, REVERSAL_KIND_LABELS, type PatientRecord } from '../../../../shared/contract/record';
import { date, discrepancy, mass, mL } from '../../format';
import { describeDoseChange, doseChangeEffects } from '../../../../shared/domain/dose-change';
import { adverseKindWords } from '../../../../shared/domain/urgency-words';
import type { SignedEntry } from '../../../../shared/contract/signatures';
import { EntryTrail } from '../signatures/EntryTrail';
import type { EntryVerification } from '../../../../shared/contract/verifications';
import { VerificationPanel } from '../verifications/VerificationPanel';
import { useClinicTimeZone } from '../signatures/useClinicTimeZone';

export const TIMELINE_KINDS = ['implant', 'refill', 'dose_change', 'event', 'reversal', 'removal'] as const;
type Kind = (typeof TIMELINE_KINDS)[number];
const KIND_LABEL: Record<Kind, string> = {
  implant: 'Implant',
  refill: 'Refill',
  dose_change: 'Dose change',
  event: 'Events and MRI',
  reversal: 'Therapy reversal',
  removal: 'Removal',
};

interface Entry {
  date: string;
  kind: Kind;
  title: string;
  note: string | null;
  key: string;
  /** "recorded by Nora Quinn (Clinician)", or "recorded before this was kept". */
  recordedBy: string;
  /** Refill visits, removals and reversals: signed and amended (their trail shows under them). */
  signed?: SignedEntry;
  /** Refills and dose changes that needed an independent double check. */
  verification?: EntryVerification;
}

/** "; replaced by SM-002" when a removal names the pump implanted in its place. */
function replacedBy(record: PatientRecord, pumpId: number | null): string {
  if (pumpId === null) return '';
  const serial = record.pumps.find((h) => h.pump.id === pumpId)?.pump.serial;
  return serial ? `; replaced by ${serial}` : '; replaced';
}

/** " — soft limit overridden: <reason>" for an entry recorded beyond a soft limit of the drug library. */
function overridden(reason: string | null | undefined): string {
  return reason ? ` — soft limit overridden: ${reason}` : '';
}

/** Everything in the record, newest first; reversal and removal notes stand out. */
export function buildTimeline(record: PatientRecord): Entry[] {
  const entries: Entry[] = [];
  const checks = new Map((record.verifications ?? []).map((v) => [`${v.kind}:${v.entryId}`, v]));
  const check = (kind: 'refill' | 'dose_change', id: number) => checks.get(`${kind}:${id}`);
  for (const h of record.pumps) {
    const p = h.pump;
    entries.push({ date: p.implantDate, kind: 'implant', title: `Implant: ${p.manufacturer} ${p.model}, serial ${p.serial}`, note: null, key: `i${p.id}`, recordedBy: recordedByText(p.recordedBy) });
    for (const r of h.refills)
      entries.push({
        date: r.date,
        kind: 'refill',
        title: `Refill ${p.serial}: ${mL(r.addedUl)} added${r.withdrawnUl === null ? '' : `, ${mL(r.withdrawnUl)} withdrawn`}${r.discrepancyFlag ? ` — discrepancy flagged: ${discrepancy(r.discrepancyUl)}` : ''}${overridden(r.overrideReason)}`,
        note: r.note,
        key: `r${r.id}`,
        recordedBy: recordedByText(r.recordedBy),
        signed: { kind: 'refill', value: r },
        verification: check('refill', r.id),
      });
    // An admixture's change shows every drug's dose before and after (they share one flow rate, so
    // all change); one drug, or a change that cannot be read against its fill, keeps its stored words.
    const effects = doseChangeEffects(h.refills, h.doseChanges);
    for (const c of h.doseChanges) {
      const effect = effects.get(c.id);
      const title = effect && effect.drugs.length > 1 ? `Dose change: ${describeDoseChange(effect)}` : `Dose change: ${c.drug} to ${mass(c.dailyDoseNgPerDay, c.unit, '/day')}`;
      entries.push({ date: c.date, kind: 'dose_change', title: `${title}${overridden(c.overrideReason)}`, note: c.note, key: `d${c.id}`, recordedBy: recordedByText(c.recordedBy), verification: check('dose_change', c.id) });
    }
    for (const v of h.reversals)
      entries.push({
        date: v.date,
        kind: 'reversal',
        title: `Therapy reversal (${REVERSAL_KIND_LABELS[v.kind]}) of ${p.serial}`,
        note: [v.plan && `Plan: ${v.plan}`, v.outcome && `Outcome: ${v.outcome}`, v.note].filter(Boolean).join('\n') || null,
        key: `v${v.id}`,
        recordedBy: recordedByText(v.recordedBy),
        signed: { kind: 'reversal', value: v },
      });
    for (const x of h.restarts) {
      const fill = h.refills.find((r) => r.id === x.refillId);
      entries.push({
        date: x.date,
        kind: 'reversal',
        title: `Therapy restarted on ${date(x.date)} on ${p.serial}${fill ? `: ${fill.drugs.map((d) => `${d.drug} ${mass(d.dailyDoseNgPerDay, d.unit, '/day')}`).join(' + ')}` : ''}`,
        note: null,
        key: `s${x.id}`,
        recordedBy: recordedByText(fill?.recordedBy ?? null),
      });
    }
    if (h.removal)
      entries.push({
        date: h.removal.date,
        kind: 'removal',
        title: `Removal of ${p.serial}: ${h.removal.reasons.map((x) => x.replaceAll('_', ' ')).join(', ')}; catheter ${h.removal.catheterRemoved ? 'removed' : 'left in place'}${replacedBy(record, h.removal.replacementPumpId)}`,
        note: h.removal.note,
        key: `x${h.removal.id}`,
        recordedBy: recordedByText(h.removal.recordedBy),
        signed: { kind: 'removal', value: h.removal },
      });
  }
  for (const e of record.events) {
    const title =
      e.kind === 'adverse'
        ? `Adverse event: ${adverseKindWords(e.adverseKind)} (${e.severity?.replace('_', '-')}, ${e.status})`
        : e.kind === 'mri'
          ? `MRI scan${e.mriPostScanCheckDate ? `; post-scan check ${date(e.mriPostScanCheckDate)}` : '; post-scan check not recorded'}`
          : e.kind === 'interrogation'
            ? 'Interrogation'
            : 'Note';
    entries.push({ date: e.date, kind: 'event', title, note: e.note, key: `e${e.id}`, recordedBy: recordedByText(e.recordedBy) });
  }
  return entries.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** The newest entries the timeline shows until "Show all" (a 25-year history has over 300). */
const RECENT_ENTRIES = 40;

export function Timeline({ record, onChanged }: { record: PatientRecord; onChanged?: () => void }) {
  const [shown, setShown] = useState<Set<Kind>>(new Set(TIMELINE_KINDS));
  const [status, setStatus] = useState<string | null>(null);
  const timeZone = useClinicTimeZone();
  const trail = (s: SignedEntry) => record.attestations?.find((a) => a.kind === s.kind && a.entryId === s.value.id);
  const entries = buildTimeline(record).filter((e) => shown.has(e.kind));
  const [all, setAll] = useState(false);
  const visible = all ? entries : entries.slice(0, RECENT_ENTRIES);
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h3 id="timeline-title">Timeline</h3>
      <fieldset className="filters">
        <legend>Show</legend>
        {TIMELINE_KINDS.map((k) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={shown.has(k)}
              onChange={(e) => {
                const next = new Set(shown);
                if (e.target.checked) next.add(k);
                else next.delete(k);
                setShown(next);
              }}
            />
            {KIND_LABEL[k]}
          </label>
        ))}
      </fieldset>
      {status && (
        <p role="status" className="banner banner-ok">
          {status}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="empty">Nothing to show.</p>
      ) : (
        <ol className="timeline">
          {visible.map((e) => (
            <li key={e.key} className={`tl tl-${e.kind}`}>
              <time dateTime={e.date}>{date(e.date)}</time> <span className="tl-title">{e.title}</span> <span className="tl-by">— {e.recordedBy}</span>
              {e.note && <p className="tl-note">{e.note}</p>}
              {e.verification && (
                <VerificationPanel
                  verification={e.verification}
                  timeZone={timeZone}
                  // The pump card of a pump in place offers Verify / Reject for its awaiting entries.
                  actions={!record.pumps.some((h) => h.pump.id === e.verification!.pumpId && h.pump.status !== 'explanted')}
                  onChanged={(message) => {
                    setStatus(message);
                    onChanged?.();
                  }}
                />
              )}
              {e.signed && (
                <EntryTrail
                  entry={e.signed}
                  attestation={trail(e.signed)}
                  timeZone={timeZone}
                  onChanged={(message) => {
                    setStatus(message);
                    onChanged?.();
                  }}
                />
              )}
            </li>
          ))}
        </ol>
      )}
      {visible.length < entries.length && (
        <p>
          <button type="button" className="secondary" onClick={() => setAll(true)}>
            Show all {entries.length} entries
          </button>
        </p>
      )}
    </section>
  );
}
