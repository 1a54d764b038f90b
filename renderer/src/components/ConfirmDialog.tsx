import { useEffect, useId, useRef, type KeyboardEvent } from 'react';

interface ConfirmDialogProps {
  question: string;
  /** The acting button ("Yes, record the removal", "Discard"). */
  confirmLabel: string;
  /** The safe button ("Go back", "Keep editing"): focused on open, and what Escape does. */
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
  saving?: boolean;
  /** Extra class for where the dialog sits (`confirm-step`). */
  className?: string;
  /** A short name for the dialog ("Confirm: revoke nightly export"); the question is then its description. Without one the question names it. */
  label?: string;
}

/**
 * An inline alertdialog asking before something that cannot be taken back. Focus starts on the safe
 * choice, and Escape is that choice: it stops here, so a form around the dialog does not also take
 * the key as "close the form" (which would lose what the dialog was protecting).
 */
export function ConfirmDialog({ question, confirmLabel, cancelLabel, onConfirm, onCancel, saving = false, className = '', label }: ConfirmDialogProps) {
  const safe = useRef<HTMLButtonElement>(null);
  const questionId = `${useId()}-question`;
  useEffect(() => safe.current?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onCancel();
  };
  return (
    <div
      role="alertdialog"
      {...(label === undefined ? { 'aria-labelledby': questionId } : { 'aria-label': label, 'aria-describedby': questionId })}
      className={`banner banner-warn ${className}`.trim()} onKeyDown={onKeyDown}>
      <p id={questionId}>{question}</p>
      <div className="actions">
        <button type="button" className="danger" onClick={onConfirm} disabled={saving}>
          {saving ? 'Saving…' : confirmLabel}
        </button>
        <button type="button" className="secondary" ref={safe} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </div>
  );
}
