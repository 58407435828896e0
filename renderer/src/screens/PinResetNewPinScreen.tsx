import { useTranslation } from 'react-i18next';
import { usePadInput } from '../components/DigitPad.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/** The alphabet the card takes in a 署名用 PIN: A–Z, then 0–9. */
export const SIGNING_PIN_KEYS: readonly string[] = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'0123456789'];

/**
 * PIN reset: the new 署名用 PIN, typed and typed again, on an on-screen keyboard of A–Z and 0–9.
 * Each key goes to the host as one `new-pin-char`; the page never holds or shows a character,
 * only dots for the count the host reports. The rules stay in view while typing. A keyboard types
 * too (letters small or capital, digits, Backspace, Enter), with the audio guide and focus of the
 * shared pads (DigitPad.tsx).
 */
export function PinResetNewPinScreen({ view }: { view: ScreenView<'pin-reset-new-pin'> }) {
  const { t } = useTranslation();
  const { send } = useKioskActions();
  const full = view.charsEntered >= view.maxLength;
  const enough = view.charsEntered >= view.minLength;
  const submitRef = usePadInput({
    accepts: 'signing-pin',
    entered: view.charsEntered,
    full,
    canSubmit: enough,
    onKey: (key) => {
      if (key.kind === 'char') void send({ type: 'new-pin-char', char: key.char });
    },
    onBackspace: () => void send({ type: 'new-pin-backspace' }),
    onSubmit: () => void send({ type: 'new-pin-submit' }),
    guide: { entered: t('pinReset.newPin.guideEntered'), deleted: t('pinReset.newPin.guideDeleted') },
  });

  return (
    <ScreenFrame name="pin-reset-new-pin" step="pin" cancellable confirmCancel>
      <div className="pin pin-reset">
        <div className="pin-info">
          <h1 tabIndex={-1} data-testid="new-pin-heading">
            {t(view.step === 'first' ? 'pinReset.newPin.headingFirst' : 'pinReset.newPin.headingAgain')}
          </h1>
          <p className="notice notice--info" data-testid="new-pin-rules">
            {t('pinReset.newPin.rules')}
          </p>
          {view.mismatch && view.step === 'first' && (
            <p className="notice notice--error" role="alert" data-testid="new-pin-mismatch">
              {t('pinReset.newPin.mismatch')}
            </p>
          )}
          <div
            className="pin-dots"
            data-testid="new-pin-dots"
            role="status"
            aria-label={t('pinReset.newPin.progress', { count: view.charsEntered })}
          >
            {Array.from({ length: view.charsEntered }, (_, index) => (
              <span key={index} className="pin-dot pin-dot--filled" />
            ))}
          </div>
          <p className="tries" data-testid="new-pin-count">
            {enough
              ? t('pinReset.newPin.progress', { count: view.charsEntered })
              : t('pinReset.newPin.tooShort', { count: view.minLength - view.charsEntered })}
          </p>
          <p className="hint">{t('pinReset.newPin.privacy')}</p>
        </div>
        <div className="keypad keypad--letters" role="group" aria-label={t('pinReset.newPin.keyboard')}>
          {SIGNING_PIN_KEYS.map((char) => (
            <button
              key={char}
              type="button"
              className="key key--letter"
              data-testid={`new-pin-key-${char}`}
              aria-label={t('pinReset.newPin.key', { char })}
              disabled={full}
              onClick={() => void send({ type: 'new-pin-char', char })}
            >
              {char}
            </button>
          ))}
          <button
            type="button"
            className="key key--backspace"
            data-testid="new-pin-backspace"
            aria-label={t('pinReset.backspaceLabel')}
            disabled={view.charsEntered === 0}
            onClick={() => void send({ type: 'new-pin-backspace' })}
          >
            {t('pinReset.backspace')}
          </button>
          <button
            type="button"
            className="key key--submit"
            data-testid="new-pin-submit"
            ref={submitRef}
            disabled={!enough}
            onClick={() => void send({ type: 'new-pin-submit' })}
          >
            {t('pinReset.submit')}
          </button>
        </div>
      </div>
    </ScreenFrame>
  );
}
