import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CardIllustration, CertificateIllustration, CoinIllustration } from '../components/Illustrations.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions, useLanguage, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { useReminderSound } from '../reminderSound.ts';

export function DoneScreen({ view }: { view: ScreenView<'done'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const { finish } = useKioskActions();
  const language = useLanguage();
  const sound = useReminderSound();
  const reminder = view.cardReminder;
  const reminderLine = t('done.cardReminder');
  // Each new reminder number from the host is one more chime and spoken line.
  useEffect(() => {
    if (reminder !== undefined) sound.play(reminderLine, language);
  }, [reminder, reminderLine, language, sound]);
  return (
    <ScreenFrame name="done">
      <div className="done">
        <h1 tabIndex={-1}>{t('done.heading')}</h1>
        {reminder !== undefined && (
          <p
            key={reminder}
            className="notice notice--warning card-reminder"
            role="alert"
            data-testid="card-reminder"
          >
            {reminderLine}
          </p>
        )}
        <p className="done-take" role="alert">
          {t('done.takeBoth')}
        </p>
        <ul className="take-list">
          <li className="take-item">
            <CardIllustration className="take-icon" />
            <span>{t('done.takeCard')}</span>
          </li>
          <li className="take-item">
            <CertificateIllustration className="take-icon take-icon--narrow" />
            <span>{t('done.takeCertificate')}</span>
          </li>
          {view.changeYen > 0 && (
            <li className="take-item" data-testid="change">
              <CoinIllustration className="take-icon take-icon--coin" />
              <span>{t('done.takeChange', { amount: yen(view.changeYen) })}</span>
            </li>
          )}
        </ul>
        {view.owedYen !== undefined && view.owedYen > 0 && (
          <p className="notice notice--warning" role="alert" data-testid="owed">
            {t('done.owed', { amount: yen(view.owedYen) })}
          </p>
        )}
        <p className="notice notice--warning">{t('done.forgetWarning')}</p>
        <p data-testid="confirm-taken">{t('done.confirmTaken')}</p>
        <button
          type="button"
          className="button button--primary button--wide"
          data-testid="finish-button"
          onClick={() => void finish()}
        >
          {t('done.finish')}
        </button>
      </div>
    </ScreenFrame>
  );
}
