import type { WithdrawalWarning } from '../../../shared/contract/record';

/** The withdrawal warning of each drug in an empty or alarming pump (the drug list's, with its source). */
export function WithdrawalWarnings({ warnings }: { warnings: readonly WithdrawalWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="withdrawal" aria-label="Withdrawal warnings">
      {warnings.map((w) => (
        <li key={w.drug}>
          <strong>{w.drug}:</strong> {w.warning}
        </li>
      ))}
    </ul>
  );
}
