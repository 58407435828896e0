import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/**
 * How a session ended when it did not end with a certificate: in words, never a code. 中止 is not a
 * failure: it gets the calm 「お手続きを中止しました」 without the red mark. The 受付番号 in the footer
 * is what a resident reads out on the phone.
 */
export function ErrorScreen({ view }: { view: ScreenView<'error'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const { finish } = useKioskActions();
  const cancelled = view.error === 'cancelled';
  return (
    <ScreenFrame name="error">
      <div
        className={cancelled ? 'error error--neutral' : 'error'}
        data-testid={cancelled ? 'ended-cancelled' : 'ended-failed'}
      >
        {!cancelled && (
          <>
            <div className="error-mark" aria-hidden="true">
              !
            </div>
            <p className="error-heading">{t('error.heading')}</p>
          </>
        )}
        <h1 tabIndex={-1} data-testid="error-title">
          {t(`kioskError.${view.error}.title`)}
        </h1>
        <p className="lead" data-testid="error-message">
          {t(`kioskError.${view.error}.body`)}
        </p>
        {view.pinResetOutcome !== undefined && (
          <p className="notice notice--info" data-testid="pin-reset-outcome">
            {t(
              view.pin === 'auth'
                ? `pinReset.outcomeAuth.${view.pinResetOutcome}`
                : `pinReset.outcome.${view.pinResetOutcome}`,
            )}
          </p>
        )}
        {view.error === 'pin-reset-refused' && (
          <p className="hint" data-testid="pin-reset-both-forgotten">
            {t('pinReset.bothForgotten')}
          </p>
        )}
        {view.error === 'pin-locked' && (
          <p className="notice notice--info" data-testid="pin-reset">
            {t('error.pinReset')}
          </p>
        )}
        {view.triesLeft !== undefined && view.triesLeft > 0 && (
          <p className="notice notice--warning" data-testid="tries-left">
            {t('error.triesLeft', { count: view.triesLeft })}
          </p>
        )}
        {view.refunding === true && (
          <p className="notice notice--info" role="status" data-testid="refunding">
            {t('error.refunding')}
          </p>
        )}
        {view.refundedYen !== undefined && view.refundedYen > 0 && (
          <p className="notice notice--success" role="alert" data-testid="refunded">
            {t('error.refunded', { amount: yen(view.refundedYen) })}
          </p>
        )}
        {view.owedYen !== undefined && view.owedYen > 0 && (
          <p className="notice notice--warning" role="alert" data-testid="owed">
            {t('error.owed', { amount: yen(view.owedYen) })}
          </p>
        )}
        {view.error !== 'card-not-placed' && <p className="notice notice--info">{t('error.takeCard')}</p>}
        {!cancelled && <p className="hint">{t('app.support')}</p>}
        <button
          type="button"
          className="button button--primary button--wide"
          data-testid="finish-button"
          disabled={view.refunding === true}
          onClick={() => void finish()}
        >
          {t('error.finish')}
        </button>
      </div>
    </ScreenFrame>
  );
}
