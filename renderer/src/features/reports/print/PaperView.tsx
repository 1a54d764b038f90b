/**
 * The papers on paper (issue 16): the refill worksheet and the patient's card and letter, laid out
 * from `ReportData.paper`. Dates in the locale the export carried (the user's), ISO without one.
 * The patient's name, MRN and birth date and "Page N of M" are in Chromium's header and footer
 * (pdf-templates.ts), so they are on every page.
 */
import type { Paper, ReportData } from '../../../../../shared/contract/reports';
import { ALARM_ASK_CLINIC } from '../../../../../shared/domain/papers';
import { exactML, formatDate } from '../../../format';

type Worksheet = Extract<Paper, { kind: 'refill-worksheet' }>;
type Card = Extract<Paper, { kind: 'patient-card' }>;

const dateIn = (locale: string) => (iso: string | null) => (iso === null ? '—' : formatDate(iso, locale));

export function PaperView({ data, paper }: { data: ReportData; paper: Paper }) {
  const locale = data.locale ?? 'en-CA'; // en-CA writes ISO dates (2026-12-07)
  switch (paper.kind) {
    case 'refill-worksheet':
      return <WorksheetView data={data} w={paper} locale={locale} />;
    case 'patient-card':
      return <CardView data={data} c={paper} locale={locale} />;
  }
}

function PatientBlock({ data, locale }: { data: ReportData; locale: string }) {
  const p = data.patient;
  if (!p) return null;
  return (
    <p className="paper-patient">
      <strong>{p.name}</strong> · MRN {p.mrn} · born {formatDate(p.birthDate, locale)}
    </p>
  );
}

function WorksheetView({ data, w, locale }: { data: ReportData; w: Worksheet; locale: string }) {
  const d = dateIn(locale);
  const ml = (ul: number | null) => (ul === null ? '—' : `${exactML(ul, locale)}`);
  return (
    <article className="print-view paper" aria-label="Refill worksheet">
      <h1>Refill worksheet</h1>
      <PatientBlock data={data} locale={locale} />
      {w.doubleCheck && <p className="paper-alert">{w.doubleCheck}</p>}
      <table className="paper-grid">
        <tbody>
          <tr><th>Pump</th><td>{w.pump.model}, serial {w.pump.serial}</td></tr>
          <tr><th>Visit date</th><td>{d(w.visitDate)}</td></tr>
          <tr><th>Last fill</th><td>{d(w.lastFillDate)}</td></tr>
          <tr>
            <th>Expected residual</th>
            <td data-testid="expected-residual">
              {ml(w.expectedResidualUl)}
              {w.estimatedEmpty && <strong> — estimated EMPTY by the visit date: risk of withdrawal</strong>}
            </td>
          </tr>
          <tr><th>Volume to add</th><td data-testid="volume-to-add">{ml(w.volumeToAddUl)} (the reservoir volume)</td></tr>
          <tr><th>Alarm volume</th><td>{ml(w.alarmUl)}</td></tr>
        </tbody>
      </table>
      <h2>Drugs</h2>
      {w.drugs.length === 0 ? (
        <p className="empty">No fill recorded: the first fill is prescribed on the refill form.</p>
      ) : (
        <table className="paper-grid">
          <thead>
            <tr><th>Drug</th><th>Concentration</th><th>Daily dose</th><th>Lot</th><th>Expiry</th></tr>
          </thead>
          <tbody>
            {w.drugs.map((x) => (
              <tr key={x.drug}>
                <td>{x.drug}</td><td>{x.concentration}</td><td>{x.dailyDose}</td><td className="blank" /><td className="blank" />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>At the visit</h2>
      <table className="paper-grid">
        <tbody>
          <tr><th>Withdrawn residual (mL)</th><td className="blank" /></tr>
          <tr><th>Volume added (mL)</th><td className="blank" /></tr>
          <tr><th>Reservoir port confirmed</th><td className="blank">☐ yes</td></tr>
          <tr><th>Programmed (dose, mode)</th><td className="blank" /></tr>
        </tbody>
      </table>
      <h2>Signatures</h2>
      <table className="paper-grid signatures">
        <thead>
          <tr><th /><th>Name</th><th>Signature</th><th>Date and time</th></tr>
        </thead>
        <tbody>
          <tr><th>Prepared by</th><td className="blank" /><td className="blank" /><td className="blank" /></tr>
          <tr><th>Checked by (independent double check)</th><td className="blank" /><td className="blank" /><td className="blank" /></tr>
        </tbody>
      </table>
    </article>
  );
}

function CardView({ data, c, locale }: { data: ReportData; c: Card; locale: string }) {
  const d = dateIn(locale);
  const phone = c.clinicPhone ?? '______________________';
  return (
    <article className="print-view paper" aria-label="Patient's card and letter">
      <h1>Your pump after today's refill</h1>
      <PatientBlock data={data} locale={locale} />
      {c.doubleCheck && <p className="paper-alert">{c.doubleCheck}</p>}
      <table className="paper-grid">
        <tbody>
          <tr><th>Your pump</th><td>{c.pump.model}, serial {c.pump.serial}</td></tr>
          <tr><th>Refilled on</th><td>{d(c.refillDate)}</td></tr>
          <tr>
            <th>Your medicine</th>
            <td>
              {c.drugs.map((x) => (
                <div key={x.drug}>
                  {x.drug} {x.concentration}, {x.dailyDose}
                </div>
              ))}
            </td>
          </tr>
          <tr><th>Next refill</th><td data-testid="next-refill"><strong>{d(c.nextRefillDate)}</strong> — come in on or before this date</td></tr>
          <tr><th>The pump alarms from</th><td data-testid="alarm-date">{d(c.alarmDate)} if it has not been refilled</td></tr>
          <tr><th>The alarm</th><td>{c.alarm ? c.alarm.text : ALARM_ASK_CLINIC}</td></tr>
          <tr><th>Your clinic</th><td>{c.clinicName}, phone {phone}</td></tr>
        </tbody>
      </table>
      <h2>Call the clinic at once if you notice</h2>
      {c.withdrawal.length === 0 ? (
        <p>Any change in how you feel after a refill, or the pump alarm.</p>
      ) : (
        <ul>
          {c.withdrawal.map((w) => (
            <li key={w.drug}>
              <strong>Too little {w.drug} (withdrawal):</strong> {w.warning}
            </li>
          ))}
        </ul>
      )}
      <h2>Signs of too much medicine (overdose), and what to do</h2>
      {c.overdose.length > 0 && (
        <ul>
          {c.overdose.map((o) => (
            <li key={o.drug}>
              <strong>Too much {o.drug} (overdose):</strong> {o.text} <span className="paper-source">Source: {o.source}.</span>
            </li>
          ))}
        </ul>
      )}
      {c.overdoseMissing.length > 0 && <p>Signs of too much {c.overdoseMissing.join(' or ')}: ask your clinic.</p>}
      {c.alarm && <p className="paper-source">The alarm: {c.alarm.source}.</p>}
      <section className="wallet-page" aria-label="Wallet card">
        <p className="paper-cut-note">Cut along the dashed line and keep the card with you.</p>
        <div className="wallet-card" data-testid="wallet-card">
          <p className="wallet-title">I have an implanted drug pump</p>
          <p>{data.patient?.name} · born {data.patient ? formatDate(data.patient.birthDate, locale) : ''}</p>
          <p>{c.pump.model} · serial {c.pump.serial}</p>
          <p>{c.drugs.map((x) => `${x.drug} ${x.concentration}, ${x.dailyDose}`).join('; ')}</p>
          <p>Next refill {d(c.nextRefillDate)} · alarm from {d(c.alarmDate)}</p>
          <p>{c.clinicName} · {phone}</p>
        </div>
      </section>
    </article>
  );
}
