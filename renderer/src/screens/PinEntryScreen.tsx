import { useTranslation } from 'react-i18next';
import { RubyText, withoutReadings } from '../components/RubyText.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { DigitPad } from '../components/DigitPad.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/**
 * The PIN pad. Each key press — on screen, keyboard or numpad — goes straight to the host as one
 * `pin-digit` intent; the page keeps no digits and shows only as many dots as the host says were
 * entered. Keys, focus and the audio guide are the shared DigitPad's.
 */
export function PinEntryScreen({ view }: { view: ScreenView<'pin-entry'> }) {
  const { t } = useTranslation();
  const { pressDigit, backspace, submitPin } = useKioskActions();
  const lastTry = view.triesLeft === 1;

  return (
    <ScreenFrame name="pin-entry" step="pin" cancellable confirmCancel>
      <div className="pin">
        <div className="pin-info">
          <h1 tabIndex={-1} aria-label={withoutReadings(t('pinEntry.heading'))}>
            <RubyText text={t('pinEntry.heading')} />
          </h1>
          <p className="body-text" data-testid="pin-explanation">
            {t('pinEntry.body')}
          </p>
          <p className="hint hint--strong" data-testid="pin-not-signing">
            {t('pinEntry.notSigning')}
          </p>
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
        <DigitPad
          entered={view.digitsEntered}
          length={view.pinLength}
          onDigit={(digit) => void pressDigit(digit)}
          onBackspace={() => void backspace()}
          onSubmit={() => void submitPin()}
          testIdPrefix="pin"
          labels={{
            pad: t('pinEntry.keypad'),
            key: (digit) => t('pinEntry.key', { digit }),
            backspace: t('pinEntry.backspace'),
            backspaceLabel: t('pinEntry.backspaceLabel'),
            submit: t('pinEntry.submit'),
            guideEntered: t('guide.digitEntered'),
            guideDeleted: t('guide.digitDeleted'),
          }}
        />
      </div>
    </ScreenFrame>
  );
}
