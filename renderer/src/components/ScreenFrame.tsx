import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskScreen } from '../../../electron/kiosk-api.ts';
import { useAccessibility } from '../accessibility.tsx';
import { instructionOf } from '../guide.ts';
import { useKiosk, useKioskActions, useLanguage } from '../kioskContext.tsx';
import { AccessibilityControls } from './AccessibilityControls.tsx';
import { CancelDialog } from './CancelDialog.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';
import { StepIndicator } from './StepIndicator.tsx';
import type { Step } from './StepIndicator.tsx';
import { TimeLimitNotice } from './TimeLimitNotice.tsx';

interface ScreenFrameProps {
  name: KioskScreen['screen'];
  /** Where this screen sits in the flow; omitted on welcome, done and error. */
  step?: Step;
  /** Shows the 中止 button; it ends the session the same way on every screen. */
  cancellable?: boolean;
  /** Asks 「お手続きを中止しますか？」 before 中止 throws away what the resident entered. */
  confirmCancel?: boolean;
  /** The dialog adds that inserted money is returned. */
  refundOnCancel?: boolean;
  /** A note shown beside the cancel button (e.g. that inserted money is returned). */
  cancelNote?: string;
  /** Shows 戻る where going back makes sense (one step, nothing lost). */
  onBack?: () => void;
  /** The compact language picker in the header; the welcome screen shows the full list instead. */
  languagePicker?: boolean;
  /** Extra controls at the left of the footer. */
  footerStart?: ReactNode;
  children: ReactNode;
}

/** 1234 5678: the 受付番号 in two groups, easier to read out on the phone. */
export function groupReceiptNumber(receiptNumber: string): string {
  return receiptNumber.replace(/^(\d{4})(\d{4})$/, '$1 $2');
}

/**
 * The frame every screen shares: header with the step bar and the language picker, the screen
 * body, footer with 戻る / 中止 and the 受付番号.
 */
export function ScreenFrame({
  name,
  step,
  cancellable = false,
  confirmCancel = false,
  refundOnCancel = false,
  cancelNote,
  onBack,
  languagePicker = true,
  footerStart,
  children,
}: ScreenFrameProps) {
  const { t } = useTranslation();
  const receiptNumber = useKiosk((s) => s.snapshot?.receiptNumber ?? null);
  const { cancel } = useKioskActions();
  const bodyRef = useRef<HTMLElement>(null);
  const [asking, setAsking] = useState(false);
  const keep = useCallback(() => setAsking(false), []);

  const { guide, tell } = useAccessibility();
  const language = useLanguage();

  // Move focus to the new screen's heading so keyboards and screen readers follow the flow.
  useEffect(() => {
    bodyRef.current?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [name]);

  // With the audio guide on, each new screen (or language) speaks its instruction by itself.
  useEffect(() => {
    if (guide && bodyRef.current) tell(instructionOf(bodyRef.current), language);
    // Only a new screen or language speaks (turning the guide on speaks once, from its button).
  }, [name, language]);

  return (
    <div className={`kiosk kiosk--${name}`}>
      <header className="kiosk-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.brand')}</span>
          <span className="brand-service">{t('app.service')}</span>
        </div>
        {step !== undefined && <StepIndicator current={step} />}
        {languagePicker && <LanguagePicker />}
      </header>
      <main className="kiosk-body" data-testid={`screen-${name}`} ref={bodyRef}>
        {children}
        <TimeLimitNotice />
      </main>
      <footer className="kiosk-footer">
        <div className="footer-actions">
          {footerStart}
          {onBack && (
            <button type="button" className="button" data-testid="back-button" onClick={onBack}>
              {t('common.back')}
            </button>
          )}
          {cancellable && (
            <button
              type="button"
              className="button button--cancel"
              data-testid="cancel-button"
              onClick={() => (confirmCancel ? setAsking(true) : void cancel())}
            >
              {t('common.cancel')}
            </button>
          )}
          {cancellable && cancelNote !== undefined && <span className="cancel-note">{cancelNote}</span>}
        </div>
        <AccessibilityControls body={() => bodyRef.current} />
        <div className="support-info">
          {receiptNumber !== null && (
            <span className="transaction-id" title={t('app.support')}>
              {t('app.transactionId')}{' '}
              <span className="receipt-number" data-testid="transaction-id">
                {groupReceiptNumber(receiptNumber)}
              </span>
            </span>
          )}
        </div>
      </footer>
      {asking && (
        <CancelDialog
          refund={refundOnCancel}
          onKeep={keep}
          onConfirm={() => {
            setAsking(false);
            void cancel();
          }}
        />
      )}
    </div>
  );
}
