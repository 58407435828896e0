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
        <h1 tabIndex={-1}>{t('pinReset.done.heading')}</h1>
        <p className="lead" data-testid="pin-reset-outcome">
          {t(`pinReset.outcome.${view.outcome}`)}
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
