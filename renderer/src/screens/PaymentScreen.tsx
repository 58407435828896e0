import { useTranslation } from 'react-i18next';
import { CoinIllustration } from '../components/Illustrations.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKiosk, useKioskActions, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { CertificateTitle } from './CertificateTitle.tsx';

/** The demo coin/bill slot: a real acceptor reports through the host instead. */
const DEMO_MONEY = [100, 500, 1000] as const;

export function PaymentScreen({ view }: { view: ScreenView<'payment'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const { insertMoney } = useKioskActions();
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
        <div className="slot" role="group" aria-label={t('payment.slot')}>
          <div className="slot-head">
            <CoinIllustration className="slot-icon" />
            <div>
              <p className="slot-title">{t('payment.slot')}</p>
              <p className="slot-demo">{t('payment.slotDemo')}</p>
            </div>
          </div>
          <div className="slot-opening" aria-hidden="true" />
          <div className="slot-buttons">
            {DEMO_MONEY.map((amount) => (
              <button
                key={amount}
                type="button"
                className="button button--money"
                data-testid={`money-${amount}`}
                aria-label={t('payment.money', { amount: amount.toLocaleString('ja-JP') })}
                disabled={enough}
                onClick={() => void insertMoney(amount)}
              >
                {yen(amount)}
              </button>
            ))}
          </div>
        </div>
      </div>
    </ScreenFrame>
  );
}
