import type { ReactNode } from 'react';
import { formatNumber } from '../format';

/** The colour of a count's number (styles.css `.count-*`). */
export type CountTone = 'empty' | 'alarm' | 'severe' | 'overdue' | 'due';

interface CountBoxProps {
  count: number;
  /** What follows the number: "overdue", "to call (missed)". */
  label: ReactNode;
  tone?: CountTone | undefined;
  /** A count that opens a list: a button (pressed when its list is shown) … */
  onClick?: (() => void) | undefined;
  pressed?: boolean | undefined;
  /** … or a link to another screen. Neither: a plain count. */
  href?: string | undefined;
  testId?: string | undefined;
}

/**
 * One box of a row of counts (`<ul className="counts">`): the worklist's and Today's clinic's. The
 * number large, its label after it; a button, a link or plain, all drawn alike.
 */
export function CountBox({ count, label, tone, onClick, pressed, href, testId }: CountBoxProps) {
  const body = (
    <>
      <strong>{formatNumber(count)}</strong> {label}
    </>
  );
  return (
    <li className={`count${tone ? ` count-${tone}` : ''}`} data-testid={testId}>
      {href !== undefined ? (
        <a className="count-button" href={href}>
          {body}
        </a>
      ) : onClick !== undefined ? (
        <button type="button" className="count-button" aria-pressed={pressed} onClick={onClick}>
          {body}
        </button>
      ) : (
        body
      )}
    </li>
  );
}
