import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * 「お手続きを中止しますか？」: asked before 中止 throws a session away once the resident has
 * entered something (PIN, choices, money). The safe answer, continuing, has the focus.
 */
export function CancelDialog({
  refund,
  onConfirm,
  onKeep,
}: {
  refund: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const { t } = useTranslation();
  const keepRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    keepRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onKeep();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onKeep]);

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="cancel-dialog-title"
        aria-describedby="cancel-dialog-body"
        data-testid="cancel-dialog"
      >
        <h2 id="cancel-dialog-title">{t('cancelDialog.title')}</h2>
        <p id="cancel-dialog-body">
          {t('cancelDialog.body')}
          {refund && ` ${t('cancelDialog.refund')}`}
        </p>
        <div className="dialog-actions">
          <button
            type="button"
            className="button button--cancel"
            data-testid="cancel-dialog-confirm"
            onClick={onConfirm}
          >
            {t('cancelDialog.confirm')}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="cancel-dialog-keep"
            ref={keepRef}
            onClick={onKeep}
          >
            {t('cancelDialog.keep')}
          </button>
        </div>
      </div>
    </div>
  );
}
