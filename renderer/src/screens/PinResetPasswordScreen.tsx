import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

const DIGIT_ROWS: readonly (readonly number[])[] = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

/**
 * PIN reset: the 8-digit one-time password from the phone's face check. Each key goes to the host
 * as one `otp-digit`; the page shows only as many dots as the host counts, and the tries left
 * after a wrong password (five wrong tries lock it).
 */
export function PinResetPasswordScreen({ view }: { view: ScreenView<'pin-reset-password'> }) {
  const { t } = useTranslation();
  const { send } = useKioskActions();
  const full = view.digitsEntered >= view.passwordLength;

  const digitKey = (digit: number) => (
    <button
      key={digit}
      type="button"
      className="key"
      data-testid={`otp-key-${digit}`}
      aria-label={t('pinReset.password.key', { digit })}
      disabled={full}
      onClick={() => void send({ type: 'otp-digit', digit })}
    >
      {digit}
    </button>
  );

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
        <div className="keypad" role="group" aria-label={t('pinReset.password.keypad')}>
          {DIGIT_ROWS.map((row) => row.map(digitKey))}
          <button
            type="button"
            className="key key--backspace"
            data-testid="otp-backspace"
            aria-label={t('pinReset.backspaceLabel')}
            disabled={view.digitsEntered === 0}
            onClick={() => void send({ type: 'otp-backspace' })}
          >
            {t('pinReset.backspace')}
          </button>
          {digitKey(0)}
          <button
            type="button"
            className="key key--submit"
            data-testid="otp-submit"
            disabled={!full}
            onClick={() => void send({ type: 'otp-submit' })}
          >
            {t('pinReset.submit')}
          </button>
        </div>
      </div>
    </ScreenFrame>
  );
}
