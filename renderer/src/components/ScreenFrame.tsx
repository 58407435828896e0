import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskScreen } from '../../../electron/kiosk-api.ts';
import { useKiosk, useKioskActions } from '../kioskContext.tsx';
import { StepIndicator } from './StepIndicator.tsx';
import type { Step } from './StepIndicator.tsx';

interface ScreenFrameProps {
  name: KioskScreen['screen'];
  /** Where this screen sits in the flow; omitted on welcome, done and error. */
  step?: Step;
  /** Shows the 中止 button. */
  cancellable?: boolean;
  /** A note shown beside the cancel button (e.g. that inserted money is returned). */
  cancelNote?: string;
  /** Extra controls at the left of the footer (the language switch on welcome). */
  footerStart?: ReactNode;
  /** Support details shown small beside the transaction id (the error code). */
  supportInfo?: ReactNode;
  children: ReactNode;
}

/** The frame every screen shares: header with the step bar, the screen body, footer with 中止 and the transaction id. */
export function ScreenFrame({
  name,
  step,
  cancellable = false,
  cancelNote,
  footerStart,
  supportInfo,
  children,
}: ScreenFrameProps) {
  const { t } = useTranslation();
  const transactionId = useKiosk((s) => s.snapshot?.transactionId ?? null);
  const { cancel } = useKioskActions();
  const bodyRef = useRef<HTMLElement>(null);

  // Move focus to the new screen's heading so keyboards and screen readers follow the flow.
  useEffect(() => {
    bodyRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [name]);

  return (
    <div className={`kiosk kiosk--${name}`}>
      <header className="kiosk-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.brand')}</span>
          <span className="brand-service">{t('app.service')}</span>
        </div>
        {step !== undefined && <StepIndicator current={step} />}
      </header>
      <main className="kiosk-body" data-testid={`screen-${name}`} ref={bodyRef}>
        {children}
      </main>
      <footer className="kiosk-footer">
        <div className="footer-actions">
          {footerStart}
          {cancellable && (
            <button
              type="button"
              className="button button--cancel"
              data-testid="cancel-button"
              onClick={() => void cancel()}
            >
              {t('common.cancel')}
            </button>
          )}
          {cancellable && cancelNote !== undefined && <span className="cancel-note">{cancelNote}</span>}
        </div>
        <div className="support-info">
          {supportInfo}
          {transactionId !== null && (
            <span className="transaction-id" data-testid="transaction-id">
              {t('app.transactionId')} {transactionId}
            </span>
          )}
        </div>
      </footer>
    </div>
  );
}
