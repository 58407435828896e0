import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { Spinner } from '../components/Spinner.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/** PIN reset: the centre's command on its way to the card; no cancel (the card decides atomically). */
export function PinResetWorkingScreen() {
  const { t } = useTranslation();
  return (
    <ScreenFrame name="pin-reset-working" step="pin">
      <div className="centered" aria-busy="true">
        <Spinner />
        <h1 tabIndex={-1}>{t('pinReset.working.heading')}</h1>
        <p className="lead" role="status">
          {t('pinReset.working.body')}
        </p>
      </div>
    </ScreenFrame>
  );
}

/** PIN reset done: which PIN the card holds, in plain words. */
export function PinResetDoneScreen({ view }: { view: ScreenView<'pin-reset-done'> }) {
  const { t } = useTranslation();
  const { finish } = useKioskActions();
  return (
    <ScreenFrame name="pin-reset-done">
      <div className="centered" data-testid="pin-reset-done">
        <h1 tabIndex={-1}>
          {t(view.pin === 'auth' ? 'pinReset.done.headingAuth' : 'pinReset.done.heading')}
        </h1>
        <p className="lead" data-testid="pin-reset-outcome">
          {t(
            view.pin === 'auth' ? `pinReset.outcomeAuth.${view.outcome}` : `pinReset.outcome.${view.outcome}`,
          )}
        </p>
        <p className="notice notice--info">{t('pinReset.done.body')}</p>
        <button
          type="button"
          className="button button--primary"
          data-testid="finish-button"
          onClick={() => void finish()}
        >
          {t('pinReset.done.finish')}
        </button>
      </div>
    </ScreenFrame>
  );
}

/**
 * PIN reset: which PIN was forgotten. Resetting one needs the other (the phone proved the card
 * with it); both forgotten: the municipality's counter, said here.
 */
export function PinResetChooseScreen() {
  const { t } = useTranslation();
  const { send } = useKioskActions();
  return (
    <ScreenFrame name="pin-reset-choose" step="card" cancellable>
      <div className="centered" data-testid="pin-reset-choose">
        <h1 tabIndex={-1}>{t('pinReset.choose.heading')}</h1>
        <button
          type="button"
          className="button button--primary button--wide"
          data-testid="pin-reset-choose-signing"
          onClick={() => void send({ type: 'choose-pin-reset', target: 'signing' })}
        >
          {t('pinReset.choose.signing')}
        </button>
        <p className="hint">{t('pinReset.choose.signingHint')}</p>
        <button
          type="button"
          className="button button--primary button--wide"
          data-testid="pin-reset-choose-auth"
          onClick={() => void send({ type: 'choose-pin-reset', target: 'auth' })}
        >
          {t('pinReset.choose.auth')}
        </button>
        <p className="hint">{t('pinReset.choose.authHint')}</p>
        <p className="notice notice--info" data-testid="pin-reset-choose-both">
          {t('pinReset.bothForgotten')}
        </p>
      </div>
    </ScreenFrame>
  );
}
