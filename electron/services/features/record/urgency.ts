import type { PumpHistory, PumpUrgency, WithdrawalWarning } from '../../../../shared/contract/record';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import { daysOverdue, urgencyOf } from '../../../../shared/domain/worklist';
import type { HandlerContext } from '../../handler-types';

/**
 * A running pump's urgency as of `asOf` (the clinic's today on the record), from its projection:
 * empty, alarm, overdue, due or ok (shared/domain/worklist.ts), the days since its next refill
 * date, and the withdrawal warnings of the drugs of its last fill (the drug list). Null for a pump
 * that is not on the worklist (removed, or off after a therapy reversal).
 */
export function pumpUrgency(ctx: HandlerContext, history: PumpHistory, asOf: CalendarDate): PumpUrgency | null {
  const p = history.projection;
  if (p === null || !p.inWorklist) return null;
  const settings = ctx.store.catalog.settings();
  const urgency = urgencyOf({ emptyDate: p.emptyDate, alarmDate: p.alarmDate, nextDue: p.nextDueDate }, asOf, settings.dueWindowDays);
  return { asOf, urgency, daysOverdue: p.nextDueDate === null ? 0 : daysOverdue(p.nextDueDate, asOf), withdrawalWarnings: withdrawalWarnings(ctx, history) };
}

/** The withdrawal warnings of the drugs in the pump since its last fill, by drug name. */
export function withdrawalWarnings(ctx: HandlerContext, history: PumpHistory): WithdrawalWarning[] {
  const last = history.refills.at(-1);
  if (!last) return [];
  const drugs = ctx.store.catalog.drugs();
  const out = new Map<string, string>();
  for (const d of last.drugs) {
    const warning = drugs.find((x) => x.id === d.drugId)?.withdrawalWarning;
    if (warning) out.set(d.drug, warning);
  }
  return [...out].sort(([a], [b]) => a.localeCompare(b)).map(([drug, warning]) => ({ drug, warning }));
}
