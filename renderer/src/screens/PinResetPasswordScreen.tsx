import { useTranslation } from 'react-i18next';
import { DigitPad } from '../components/DigitPad.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/**
 * PIN reset: the 8-digit one-time password from the phone's face check, on the shared DigitPad
 * (on-screen keys, keyboard and numpad, the audio guide). Each key goes to the host as one
 * `otp-digit`; the page shows only as many dots as the host counts, and the tries left after a
 * wrong password (five wrong tries lock it).
 */
export function PinResetPasswordScreen({ view }: { view: ScreenView<'pin-reset-password'> }) {
  const { t } = useTranslation();
  const { send } = useKioskActions();

  return (
    <ScreenFrame name="pin-reset-password" step="pin" cancellable confirmCancel>
      <div className="pin">
        <div className="pin-info">
          <h1 tabIndex={-1}>{t('pinReset.password.heading')}</h1>
          <p className="body-text">{t('pinReset.password.body')}</p>
          {view.lastAttemptWrong && (
            <p className="notice notice--error" role="alert" data-testid="otp-wrong">
              {t('pinReset.password.wrong')}
            </p>
          )}
          <div
            className="pin-dots"
            data-testid="otp-dots"
            role="status"
            aria-label={t('pinReset.password.progress', { count: view.digitsEntered })}
          >
            {Array.from({ length: view.passwordLength }, (_, index) => (
              <span
                key={index}
                className={index < view.digitsEntered ? 'pin-dot pin-dot--filled' : 'pin-dot'}
              />
            ))}
          </div>
          {view.triesLeft !== null && (
            <p className={view.triesLeft <= 1 ? 'tries tries--last' : 'tries'} data-testid="otp-tries-left">
              {t('pinReset.password.triesLeft', { count: view.triesLeft })}
            </p>
          )}
          <p className="hint">{t('pinReset.password.lock')}</p>
        </div>
        <DigitPad
          entered={view.digitsEntered}
          length={view.passwordLength}
          onDigit={(digit) => void send({ type: 'otp-digit', digit })}
          onBackspace={() => void send({ type: 'otp-backspace' })}
          onSubmit={() => void send({ type: 'otp-submit' })}
          testIdPrefix="otp"
          labels={{
            pad: t('pinReset.password.keypad'),
            key: (digit) => t('pinReset.password.key', { digit }),
            backspace: t('pinReset.backspace'),
            backspaceLabel: t('pinReset.backspaceLabel'),
            submit: t('pinReset.submit'),
            guideEntered: t('guide.digitEntered'),
            guideDeleted: t('guide.digitDeleted'),
          }}
        />
      </div>
    </ScreenFrame>
  );
}
