import type { DeviceModel, PumpStatus } from '../../../../shared/contract/record';
import { mL } from '../../format';

export const PUMP_STATUS_LABELS: Record<PumpStatus, string> = { active: 'Active', off: 'Off', explanted: 'Explanted' };

/** "Medtronic SynchroMed II 20 mL": the reservoir tells two models of the same name apart. */
export function deviceLabel(d: Pick<DeviceModel, 'manufacturer' | 'model' | 'reservoirUl'>): string {
  return `${d.manufacturer} ${d.model} ${mL(d.reservoirUl, 0)}`;
}
