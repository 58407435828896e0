import { useTranslation } from 'react-i18next';
import { CoinIllustration } from '../components/Illustrations.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKiosk, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { CertificateTitle } from './CertificateTitle.tsx';

/**
 * What the fee is and what the coin and note acceptor has reported so far. The page only shows
 * it: money goes into the machine's slot, never through this screen.
 */
export function PaymentScreen({ view }: { view: ScreenView<'payment'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const noNotes = view.accepts.length > 0 && !view.accepts.includes(1000);
  const language = useKiosk((s) => s.snapshot?.language ?? 'ja');
  const remaining = Math.max(0, view.totalYen - view.paidYen);
  const enough = remaining === 0;
  return (
    <ScreenFrame
      name="payment"
      step="pay"
      cancellable={!enough}
      confirmCancel
      refundOnCancel={view.paidYen > 0}
      cancelNote={view.paidYen > 0 ? t('payment.cancelRefund') : undefined}
    >
      <div className="payment">
        <div className="payment-info">
          <h1 tabIndex={-1}>{t('payment.heading')}</h1>
          <p className="payment-what">
            <CertificateTitle certificateType={view.certificateType} language={language} />
            <span className="payment-copies">{t('payment.copies', { count: view.copies })}</span>
          </p>
          <dl className="amounts">
            <div className="amount">
              <dt>{t('payment.due')}</dt>
              <dd data-testid="amount-due">{yen(view.totalYen)}</dd>
            </div>
            <div className="amount">
              <dt>{t('payment.paid')}</dt>
              <dd data-testid="amount-paid">{yen(view.paidYen)}</dd>
            </div>
            <div className={enough ? 'amount amount--settled' : 'amount amount--remaining'}>
              <dt>{t('payment.remaining')}</dt>
              <dd data-testid="amount-remaining">{yen(remaining)}</dd>
            </div>
          </dl>
          <p className={enough ? 'notice notice--success' : 'body-text'} role="status">
            {enough ? t('payment.enough') : t('payment.body')}
          </p>
        </div>
        <div
          className="slot"
          role="group"
          aria-label={t('payment.slot')}
          data-testid="slot"
          data-open={view.accepts.length > 0 ? 'true' : 'false'}
        >
          <div className="slot-head">
            <CoinIllustration className="slot-icon" />
            <div>
              <p className="slot-title">{t('payment.slot')}</p>
              <p className="slot-demo">{t('payment.slotAccepts')}</p>
            </div>
          </div>
          <div className="slot-opening" aria-hidden="true" />
          {noNotes && !enough && (
            <p className="notice notice--warning" data-testid="no-notes">
              {t('payment.noNotes')}
            </p>
          )}
        </div>
      </div>
    </ScreenFrame>
  );
}
