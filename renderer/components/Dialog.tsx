// A modal dialog on the native <dialog> element: focus stays inside, Escape closes, the page
// behind is inert. Enter in any field submits (the form never navigates).
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  title: string;
  onClose(): void;
  /** Called on Enter or the submit button; leave out for dialogs without one. */
  onSubmit?(): void;
  submitLabel?: string;
  submitDisabled?: boolean;
  children: ReactNode;
  wide?: boolean;
}

export function Dialog({ title, onClose, onSubmit, submitLabel = 'OK', submitDisabled, children, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    return () => d.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (onSubmit && !submitDisabled) onSubmit();
        }}
      >
        <h2 id={titleId} className="dialog-title">{title}</h2>
        <div className="dialog-body">{children}</div>
        <div className="dialog-buttons">
          <button type="button" className="button" onClick={onClose}>
            {onSubmit ? 'Cancel' : 'Close'}
          </button>
          {onSubmit && (
            <button type="submit" className="button button-primary" disabled={submitDisabled}>
              {submitLabel}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
