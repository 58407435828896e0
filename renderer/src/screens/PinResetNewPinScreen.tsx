import { useTranslation } from 'react-i18next';
import { usePadInput } from '../components/DigitPad.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/** The alphabet the card takes in a 署名用 PIN: A–Z, then 0–9. */
export const SIGNING_PIN_KEYS: readonly string[] = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...'0123456789'];

/** The keys of the new 4-digit PIN. */
const AUTH_PIN_KEYS: readonly string[] = [...'0123456789'];

/**
 * PIN reset: the new 署名用 PIN, typed and typed again, on an on-screen keyboard of A–Z and 0–9
 * (the new 4-digit PIN on a keyboard of 0–9, when that is the PIN reset).
 * Each key goes to the host as one `new-pin-char`; the page never holds or shows a character,
 * only dots for the count the host reports. The rules stay in view while typing. A keyboard types
 * too (letters small or capital, digits, Backspace, Enter), with the audio guide and focus of the
 * shared pads (DigitPad.tsx).
 */
export function PinResetNewPinScreen({ view }: { view: ScreenView<'pin-reset-new-pin'> }) {
  const { t } = useTranslation();
  const auth = view.pin === 'auth';
  const heading =
    view.step === 'first'
      ? t(auth ? 'pinReset.newPin.headingFirstAuth' : 'pinReset.newPin.headingFirst')
      : t('pinReset.newPin.headingAgain');
  return (
    <ResetPinKeyboard
      name="pin-reset-new-pin"
      heading={heading}
      rules={t(auth ? 'pinReset.newPin.rulesAuth' : 'pinReset.newPin.rules')}
      alert={view.mismatch && view.step === 'first' ? t('pinReset.newPin.mismatch') : undefined}
      charsEntered={view.charsEntered}
      minLength={view.minLength}
      maxLength={view.maxLength}
      keys={auth ? AUTH_PIN_KEYS : SIGNING_PIN_KEYS}
    />
  );
}

/**
 * PIN reset of the 4-digit PIN: the 署名用 PIN the resident still knows, on the same keyboard as a
 * new 署名用 PIN (each key one `new-pin-char` to the host; the page sees counts only).
 */
export function PinResetSigningPinScreen({ view }: { view: ScreenView<'pin-reset-signing-pin'> }) {
  const { t } = useTranslation();
  return (
    <ResetPinKeyboard
      name="pin-reset-signing-pin"
      heading={t('pinReset.signingPin.heading')}
      rules={t('pinReset.signingPin.body')}
      alert={view.triesLeft === null ? undefined : t('pinReset.signingPin.wrong', { count: view.triesLeft })}
      charsEntered={view.charsEntered}
      minLength={view.minLength}
      maxLength={view.maxLength}
      keys={SIGNING_PIN_KEYS}
    />
  );
}

function ResetPinKeyboard(props: {
  name: 'pin-reset-new-pin' | 'pin-reset-signing-pin';
  heading: string;
  rules: string;
  alert: string | undefined;
  charsEntered: number;
  minLength: number;
  maxLength: number;
  keys: readonly string[];
}) {
  const { t } = useTranslation();
  const { send } = useKioskActions();
  const full = props.charsEntered >= props.maxLength;
  const enough = props.charsEntered >= props.minLength;
  const digitsOnly = props.keys === AUTH_PIN_KEYS;
  const submitRef = usePadInput({
    accepts: digitsOnly ? 'digits' : 'signing-pin',
    entered: props.charsEntered,
    full,
    canSubmit: enough,
    onKey: (key) => {
      if (key.kind === 'char') void send({ type: 'new-pin-char', char: key.char });
      if (key.kind === 'digit') void send({ type: 'new-pin-char', char: String(key.digit) });
    },
    onBackspace: () => void send({ type: 'new-pin-backspace' }),
    onSubmit: () => void send({ type: 'new-pin-submit' }),
    guide: { entered: t('pinReset.newPin.guideEntered'), deleted: t('pinReset.newPin.guideDeleted') },
  });

  return (
    <ScreenFrame name={props.name} step="pin" cancellable confirmCancel>
      <div className="pin pin-reset">
        <div className="pin-info">
          <h1 tabIndex={-1} data-testid="new-pin-heading">
            {props.heading}
          </h1>
          <p className="notice notice--info" data-testid="new-pin-rules">
            {props.rules}
          </p>
          {props.alert !== undefined && (
            <p className="notice notice--error" role="alert" data-testid="new-pin-mismatch">
              {props.alert}
            </p>
          )}
          <div
            className="pin-dots"
            data-testid="new-pin-dots"
            role="status"
            aria-label={t('pinReset.newPin.progress', { count: props.charsEntered })}
          >
            {Array.from({ length: props.charsEntered }, (_, index) => (
              <span key={index} className="pin-dot pin-dot--filled" />
            ))}
          </div>
          <p className="tries" data-testid="new-pin-count">
            {enough
              ? t('pinReset.newPin.progress', { count: props.charsEntered })
              : t('pinReset.newPin.tooShort', { count: props.minLength - props.charsEntered })}
          </p>
          <p className="hint">{t('pinReset.newPin.privacy')}</p>
        </div>
        <div className="keypad keypad--letters" role="group" aria-label={t('pinReset.newPin.keyboard')}>
          {props.keys.map((char) => (
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
            disabled={props.charsEntered === 0}
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
