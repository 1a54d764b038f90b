/**
 * How a pump's urgency, why it is overdue and its open adverse events are said to a person: one
 * wording for the worklist, the record's pump card, the refill preview and the reports (issue 13).
 * Dates are formatted by the caller (`formatDate`: the renderer's locale, ISO in files).
 */
import { isSevere, type EventSeverity, type Urgency } from './worklist';
import type { NextDueRule } from './schedule';
import { ADVERSE_KINDS, type AdverseKind } from '../contract/record';

/** A short label for a badge, worst first. */
export const URGENCY_LABELS: Record<Urgency, string> = {
  empty: 'Empty (estimated)',
  alarm: 'Alarming',
  overdue: 'Overdue',
  due: 'Due',
  ok: 'On schedule',
};

/** What set the next refill date, as a reason an overdue row gives. */
export const NEXT_DUE_RULE_WORDS: Record<NextDueRule, string> = {
  alarm: 'the safety margin before the alarm date',
  stability: 'the drug’s stability limit',
  max_interval: 'the maximum interval between refills',
};

export const SEVERITY_WORDS: Record<EventSeverity, string> = {
  mild: 'mild',
  moderate: 'moderate',
  severe: 'severe',
  life_threatening: 'life-threatening',
};

/**
 * The kinds of adverse event (the contract's ADVERSE_KINDS), in words: the one labels map the forms,
 * the record, the worklist and the reports use ("CSF leak", never "Csf leak" or "csf_leak").
 */
export const ADVERSE_KIND_WORDS: Record<AdverseKind, string> = {
  pocket_fill: 'pocket fill',
  withdrawal: 'withdrawal',
  overdose: 'overdose',
  granuloma: 'granuloma',
  infection: 'infection',
  csf_leak: 'CSF leak',
  motor_stall: 'motor stall',
  alarm: 'alarm',
  other: 'other',
};

/** An adverse event kind in words, as said mid-sentence ("CSF leak", "pocket fill"); a code not in the list as it is. */
export function adverseKindWords(kind: string | null | undefined): string {
  if (kind === null || kind === undefined) return '';
  return (ADVERSE_KINDS as readonly string[]).includes(kind) ? ADVERSE_KIND_WORDS[kind as AdverseKind] : kind;
}

/** An adverse event kind as a label that starts a line or a choice ("CSF leak", "Pocket fill"). */
export function adverseKindLabel(kind: string | null | undefined): string {
  const w = adverseKindWords(kind);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

export interface UrgencyFacts {
  readonly urgency: Urgency;
  readonly emptyDate: string | null;
  readonly alarmDate: string | null;
  readonly nextDue: string | null;
  readonly nextDueRule: NextDueRule | null;
  readonly daysOverdue: number;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/**
 * One sentence for a pump's urgency:
 *   empty   "Empty since 11/19 (estimated) — risk of withdrawal"
 *   alarm   "Alarming since 11/12 (low reservoir, estimated) — empty on 11/20"
 *   overdue "Overdue by 6 days: due 11/05 by the safety margin before the alarm date"
 *   due     "Due 11/05"
 *   ok      "On schedule: next refill 11/05"
 */
export function urgencySentence(f: UrgencyFacts, formatDate: (iso: string) => string): string {
  const d = (iso: string | null) => (iso === null ? '—' : formatDate(iso));
  switch (f.urgency) {
    case 'empty':
      return `Empty since ${d(f.emptyDate)} (estimated) — risk of withdrawal`;
    case 'alarm':
      return `Alarming since ${d(f.alarmDate)} (low reservoir, estimated)${f.emptyDate === null ? '' : ` — empty on ${d(f.emptyDate)}`}`;
    case 'overdue':
      return `Overdue by ${days(f.daysOverdue)}: due ${d(f.nextDue)}${f.nextDueRule === null ? '' : ` by ${NEXT_DUE_RULE_WORDS[f.nextDueRule]}`}`;
    case 'due':
      return `Due ${d(f.nextDue)}`;
    case 'ok':
      return `On schedule: next refill ${d(f.nextDue)}`;
  }
}

export interface AdverseFacts {
  readonly severity: EventSeverity;
  readonly kind: string;
}

const ORDER: readonly EventSeverity[] = ['life_threatening', 'severe', 'moderate', 'mild'];

/**
 * Open adverse events by severity, worst first: "1 open severe adverse event: overdose · 2 open mild
 * adverse events: pocket fill, infection". Null when there is none.
 */
export function openAdverseWords(events: readonly AdverseFacts[]): string | null {
  const parts = ORDER.flatMap((severity) => {
    const these = events.filter((e) => e.severity === severity);
    if (these.length === 0) return [];
    const kinds = [...new Set(these.map((e) => adverseKindWords(e.kind)))].join(', ');
    return [`${these.length} open ${SEVERITY_WORDS[severity]} adverse event${these.length === 1 ? '' : 's'}: ${kinds}`];
  });
  return parts.length === 0 ? null : parts.join(' · ');
}

/** True when any of the events is severe or life-threatening. */
export function anySevere(events: readonly AdverseFacts[]): boolean {
  return events.some((e) => isSevere(e.severity));
}
