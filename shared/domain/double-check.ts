/**
 * The independent double check (issue 17, item 3): which entries a second clinician must verify.
 *
 * Safety bodies recommend an independent double check for intrathecal and other high-alert
 * medications (ISMP's list of high-alert medications names intrathecal opioids and all opioids given
 * by the intrathecal route). Reservoir asks for one, by default, for:
 *
 * - `opioid_increase`: an entry after which the daily dose of an opioid is higher than the dose in
 *   effect before it;
 * - `ziconotide_increase`: the same for ziconotide (narrow therapeutic window, slow titration:
 *   Prialt prescribing information);
 * - `soft_limit_override`: any entry saved with an override reason for a soft limit of the drug
 *   library, whatever the drug.
 *
 * "Any drug's dose goes up" is read drug by drug over the whole prescription: in an admixture the
 * drugs share one flow rate, so raising bupivacaine raises the morphine with it, and that is an
 * opioid increase too. A drug absent before (a new pump's first fill, a restart after a therapy
 * reversal, a drug added at a refill) goes up from zero. Pure: no clock, no I/O.
 */

/**
 * The opioids, by the drug list's names (compared trimmed, case-insensitively). A fixed list, not a
 * column of the drug list: the drug class is a fact of pharmacology, not a clinic's preference.
 * Source: WHO ATC classification, N02A "Opioids" (morphine N02AA01, hydromorphone N02AA03,
 * fentanyl N02AB03, sufentanil N01AH03 — an opioid anaesthetic) and the intrathecal-therapy
 * reference's drug list. Ziconotide (N02BG08) is not an opioid: it has its own category.
 */
export const OPIOIDS = ['morphine', 'hydromorphone', 'fentanyl', 'sufentanil'] as const;
export const ZICONOTIDE = 'ziconotide';

export const DOUBLE_CHECK_REASONS = ['opioid_increase', 'ziconotide_increase', 'soft_limit_override'] as const;
export type DoubleCheckReason = (typeof DOUBLE_CHECK_REASONS)[number];

export const DOUBLE_CHECK_REASON_LABELS: Record<DoubleCheckReason, string> = {
  opioid_increase: 'opioid dose increase',
  ziconotide_increase: 'ziconotide dose increase',
  soft_limit_override: 'soft-limit override',
};

/** The clinic's choice (Settings), both on by default. */
export interface DoubleCheckRules {
  /** Opioid and ziconotide dose increases (including first fills and restarts). */
  doubleCheckDoseIncreases: boolean;
  /** Any entry carrying a soft-limit override reason. */
  doubleCheckSoftLimitOverrides: boolean;
}

export interface DrugDose {
  drug: string;
  dailyDoseNgPerDay: number;
}

export interface CheckedEntry {
  /** Every drug's daily dose in effect before the entry (empty: nothing was infusing). */
  before: readonly DrugDose[];
  /** Every drug's daily dose after it. */
  after: readonly DrugDose[];
  /** The soft-limit override reason stored with the entry (null or blank: none). */
  overrideReason: string | null;
}

const fold = (name: string): string => name.trim().toLowerCase();

export function isOpioid(drug: string): boolean {
  return (OPIOIDS as readonly string[]).includes(fold(drug));
}

export function isZiconotide(drug: string): boolean {
  return fold(drug) === ZICONOTIDE;
}

/** The drugs whose daily dose is higher after the entry than before (absent before: zero). */
export function increasedDrugs(entry: Pick<CheckedEntry, 'before' | 'after'>): string[] {
  const before = new Map(entry.before.map((d) => [fold(d.drug), d.dailyDoseNgPerDay]));
  return entry.after.filter((d) => d.dailyDoseNgPerDay > (before.get(fold(d.drug)) ?? 0)).map((d) => d.drug);
}

/** Why this entry needs an independent double check under the clinic's rules; empty: it needs none. */
export function doubleCheckReasons(entry: CheckedEntry, rules: DoubleCheckRules): DoubleCheckReason[] {
  const reasons: DoubleCheckReason[] = [];
  if (rules.doubleCheckDoseIncreases) {
    const up = increasedDrugs(entry);
    if (up.some(isOpioid)) reasons.push('opioid_increase');
    if (up.some(isZiconotide)) reasons.push('ziconotide_increase');
  }
  if (rules.doubleCheckSoftLimitOverrides && (entry.overrideReason ?? '').trim() !== '') reasons.push('soft_limit_override');
  return reasons;
}
