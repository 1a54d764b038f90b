import type { PumpRow } from '../../../../shared/contract/devices';
import { date, mL } from '../../format';
import { href } from '../../router';
import { PUMP_STATUS_LABELS } from './labels';

export function PumpTable({ rows, caption }: { rows: PumpRow[]; caption: string }) {
  return (
    <table className="list">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Patient</th>
          <th scope="col">MRN</th>
          <th scope="col">Model</th>
          <th scope="col">Serial</th>
          <th scope="col">Implant date</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ pump, patient }) => (
          <tr key={pump.id}>
            <td>
              <a href={href({ name: 'patient', id: patient.id })}>
                {patient.familyName}, {patient.givenName}
              </a>
            </td>
            <td>{patient.mrn}</td>
            <td>
              {pump.manufacturer} {pump.model} {mL(pump.reservoirUl, 0)}
            </td>
            <td className="mono">{pump.serial}</td>
            <td>{date(pump.implantDate)}</td>
            <td>
              <span className={`badge pump-status-${pump.status}`}>{PUMP_STATUS_LABELS[pump.status]}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
