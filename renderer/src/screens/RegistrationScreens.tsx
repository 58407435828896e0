import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

const POINTS = ['identity', 'free', 'wait'] as const;

/** 利用登録 for 戸籍 certificates: what it is, then 申請する or 戻る (to the menu). */
export function RegistrationConfirmScreen() {
  const { t } = useTranslation();
  const { confirm, backToMenu } = useKioskActions();
  return (
    <ScreenFrame name="registration-confirm" step="choose" cancellable confirmCancel>
      <div className="registration">
        <h1 tabIndex={-1}>{t('registration.heading')}</h1>
        <p className="lead">{t('registration.body')}</p>
        <ul className="registration-points">
          {POINTS.map((point) => (
            <li key={point}>{t(`registration.points.${point}`)}</li>
          ))}
        </ul>
        <div className="registration-actions">
          <button
            type="button"
            className="button button--cancel"
            data-testid="registration-back"
            onClick={() => void backToMenu()}
          >
            {t('registration.back')}
          </button>
          <button
            type="button"
            className="button button--primary button--wide"
            data-testid="registration-submit"
            onClick={() => void confirm()}
          >
            {t('registration.submit')}
          </button>
        </div>
      </div>
    </ScreenFrame>
  );
}

/** Filed: the 本籍地 decides, usually within a few business days. */
export function RegistrationDoneScreen({ view }: { view: ScreenView<'registration-done'> }) {
  const { t } = useTranslation();
  const { backToMenu, finish } = useKioskActions();
  const kind =
    view.status === 'pending'
      ? 'notice--success'
      : view.status === 'approved'
        ? 'notice--info'
        : 'notice--warning';
  return (
    <ScreenFrame name="registration-done" step="choose">
      <div className="registration">
        <h1 tabIndex={-1} data-testid="registration-title">
          {t(`registration.done.${view.status}.title`)}
        </h1>
        <p className={`notice ${kind}`} role="status" data-testid="registration-message">
          {t(`registration.done.${view.status}.body`, { name: view.municipalityName })}
        </p>
        <p className="registration-request">
          {t('registration.requestId')} <span data-testid="registration-request-id">{view.requestId}</span>
        </p>
        <p className="hint">{t('common.takeCard')}</p>
        <div className="registration-actions">
          <button
            type="button"
            className="button"
            data-testid="back-to-menu-button"
            onClick={() => void backToMenu()}
          >
            {t('registration.backToMenu')}
          </button>
          <button
            type="button"
            className="button button--primary button--wide"
            data-testid="finish-button"
            onClick={() => void finish()}
          >
            {t('registration.finish')}
          </button>
        </div>
      </div>
    </ScreenFrame>
  );
}
