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
 * The PIN pad. Each key press goes straight to the host as one `pin-digit` intent; the page keeps
 * no digits and shows only as many dots as the host says were entered.
 */
export function PinEntryScreen({ view }: { view: ScreenView<'pin-entry'> }) {
  const { t } = useTranslation();
  const { pressDigit, backspace, submitPin } = useKioskActions();
  const full = view.digitsEntered >= view.pinLength;
  const lastTry = view.triesLeft === 1;

  const digitKey = (digit: number) => (
    <button
      key={digit}
      type="button"
      className="key"
      data-testid={`pin-key-${digit}`}
      aria-label={t('pinEntry.key', { digit })}
      disabled={full}
      onClick={() => void pressDigit(digit)}
    >
      {digit}
    </button>
  );

  return (
    <ScreenFrame name="pin-entry" step="pin" cancellable>
      <div className="pin">
        <div className="pin-info">
          <h1 tabIndex={-1}>{t('pinEntry.heading')}</h1>
          <p className="body-text">{t('pinEntry.body')}</p>
          {view.lastAttemptWrong && (
            <p className="notice notice--error" role="alert" data-testid="pin-wrong">
              {t('pinEntry.wrong')}
            </p>
          )}
          <div
            className="pin-dots"
            data-testid="pin-dots"
            role="status"
            aria-label={t('pinEntry.progress', { count: view.digitsEntered })}
          >
            {Array.from({ length: view.pinLength }, (_, index) => (
              <span
                key={index}
                className={index < view.digitsEntered ? 'pin-dot pin-dot--filled' : 'pin-dot'}
              />
            ))}
          </div>
          {view.triesLeft !== null && (
            <p className={lastTry ? 'tries tries--last' : 'tries'} data-testid="tries-left">
              {t('pinEntry.triesLeft', { count: view.triesLeft })}
            </p>
          )}
          {lastTry && (
            <p className="notice notice--warning" role="alert" data-testid="last-try-warning">
              {t('pinEntry.lastTry')}
            </p>
          )}
          <p className="hint">{t('pinEntry.privacy')}</p>
        </div>
        <div className="keypad" role="group" aria-label={t('pinEntry.keypad')}>
          {DIGIT_ROWS.map((row) => row.map(digitKey))}
          <button
            type="button"
            className="key key--backspace"
            data-testid="pin-backspace"
            aria-label={t('pinEntry.backspaceLabel')}
            disabled={view.digitsEntered === 0}
            onClick={() => void backspace()}
          >
            {t('pinEntry.backspace')}
          </button>
          {digitKey(0)}
          <button
            type="button"
            className="key key--submit"
            data-testid="pin-submit"
            disabled={!full}
            onClick={() => void submitPin()}
          >
            {t('pinEntry.submit')}
          </button>
        </div>
      </div>
    </ScreenFrame>
  );
}
