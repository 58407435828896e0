import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RubyText, withoutReadings } from '../components/RubyText.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useAccessibility } from '../accessibility.tsx';
import { useKioskActions, useLanguage } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

const DIGIT_ROWS: readonly (readonly number[])[] = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

/** A key press meant for the PIN pad: a digit (top row or numpad), Backspace/Delete, or Enter. */
export function pinKeyOf(event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>) {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  if (/^[0-9]$/.test(event.key)) return { kind: 'digit', digit: Number(event.key) } as const;
  if (event.key === 'Backspace' || event.key === 'Delete') return { kind: 'backspace' } as const;
  if (event.key === 'Enter') return { kind: 'submit' } as const;
  return undefined;
}

/**
 * The PIN pad. Each key press — on screen, keyboard or numpad — goes straight to the host as one
 * `pin-digit` intent; the page keeps no digits and shows only as many dots as the host says were entered.
 */
export function PinEntryScreen({ view }: { view: ScreenView<'pin-entry'> }) {
  const { t } = useTranslation();
  const { pressDigit, backspace, submitPin } = useKioskActions();
  const full = view.digitsEntered >= view.pinLength;
  const lastTry = view.triesLeft === 1;
  const submitRef = useRef<HTMLButtonElement>(null);
  const { tell } = useAccessibility();
  const language = useLanguage();
  const spokenCount = useRef(view.digitsEntered);

  // The audio guide says that a digit was entered or deleted, never which digit.
  useEffect(() => {
    const before = spokenCount.current;
    spokenCount.current = view.digitsEntered;
    if (view.digitsEntered === before + 1) tell(t('guide.digitEntered'), language);
    else if (view.digitsEntered === before - 1) tell(t('guide.digitDeleted'), language);
  }, [view.digitsEntered, tell, t, language]);

  // Keyboard and numpad: digits, Backspace, Enter. Not while a dialog (中止?, languages) is open.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const key = pinKeyOf(event);
      if (!key) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[role="dialog"], [role="alertdialog"]')) return;
      // Enter on a focused button presses that button; the page does not press it twice.
      if (key.kind === 'submit' && target instanceof HTMLButtonElement) return;
      event.preventDefault();
      if (key.kind === 'digit' && !full) void pressDigit(key.digit);
      else if (key.kind === 'backspace' && view.digitsEntered > 0) void backspace();
      else if (key.kind === 'submit' && full) void submitPin();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [full, view.digitsEntered, pressDigit, backspace, submitPin]);

  // After the 4th digit the digit keys are disabled: move focus to 確定 rather than leave it on a dead key.
  // And when the PIN empties again (a wrong PIN, a correction), back to the heading, not a dead 確定.
  useEffect(() => {
    const submit = submitRef.current;
    if (full) submit?.focus({ preventScroll: true });
    else if (submit !== null && document.activeElement === submit)
      submit.closest('.pin')?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [full]);

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
            ref={submitRef}
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
