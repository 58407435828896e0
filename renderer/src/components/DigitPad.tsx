import { useEffect, useRef, type RefObject } from 'react';
import { useAccessibility } from '../accessibility.tsx';
import { useLanguage } from '../kioskContext.tsx';

const DIGIT_ROWS: readonly (readonly number[])[] = [
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
];

/** A key press meant for a pad: a digit or letter, Backspace/Delete, or Enter. */
export type PadKey =
  | { kind: 'digit'; digit: number }
  | { kind: 'char'; char: string }
  | { kind: 'backspace' }
  | { kind: 'submit' };

/**
 * What a keyboard or numpad press means on a pad: `digits` takes 0–9 (top row or numpad),
 * `signing-pin` takes A–Z (typed small or capital) and 0–9 as characters. Shortcuts (Alt, Ctrl,
 * Meta) are never the pad's.
 */
export function padKeyOf(
  event: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>,
  accepts: 'digits' | 'signing-pin' = 'digits',
): PadKey | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  if (accepts === 'digits' && /^[0-9]$/.test(event.key)) return { kind: 'digit', digit: Number(event.key) };
  if (accepts === 'signing-pin' && /^[0-9A-Za-z]$/.test(event.key))
    return { kind: 'char', char: event.key.toUpperCase() };
  if (event.key === 'Backspace' || event.key === 'Delete') return { kind: 'backspace' };
  if (event.key === 'Enter') return { kind: 'submit' };
  return undefined;
}

export interface PadInput {
  accepts: 'digits' | 'signing-pin';
  /** How many the host says were entered (the page never holds what). */
  entered: number;
  /** No more keys taken: the keys are disabled and focus moves to OK. */
  full: boolean;
  /** OK can be pressed. */
  canSubmit: boolean;
  onKey(key: Exclude<PadKey, { kind: 'backspace' | 'submit' }>): void;
  onBackspace(): void;
  onSubmit(): void;
  /** What the audio guide says for one more and one fewer (never which key). */
  guide: { entered: string; deleted: string };
}

/**
 * What every pad shares — the PIN pad, the one-time password's and the new 署名用 PIN's keyboard:
 * keyboard and numpad input (not while a dialog such as 中止? is open; Enter on a focused button
 * is that button's), the audio guide saying that a key was entered or deleted (never which), and
 * focus moved to OK when the pad is full, back to the heading when it empties under a focused OK.
 * Returns the ref for the OK button.
 */
export function usePadInput(input: PadInput): RefObject<HTMLButtonElement | null> {
  const submitRef = useRef<HTMLButtonElement>(null);
  const { tell } = useAccessibility();
  const language = useLanguage();
  const spokenCount = useRef(input.entered);
  const { entered, full, canSubmit, accepts, onKey, onBackspace, onSubmit } = input;
  const { entered: saidEntered, deleted: saidDeleted } = input.guide;

  useEffect(() => {
    const before = spokenCount.current;
    spokenCount.current = entered;
    if (entered === before + 1) tell(saidEntered, language);
    else if (entered === before - 1) tell(saidDeleted, language);
  }, [entered, tell, saidEntered, saidDeleted, language]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const key = padKeyOf(event, accepts);
      if (!key) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('[role="dialog"], [role="alertdialog"]')) return;
      if (key.kind === 'submit' && target instanceof HTMLButtonElement) return;
      event.preventDefault();
      if (key.kind === 'backspace') {
        if (entered > 0) onBackspace();
      } else if (key.kind === 'submit') {
        if (canSubmit) onSubmit();
      } else if (!full) onKey(key);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [accepts, entered, full, canSubmit, onKey, onBackspace, onSubmit]);

  useEffect(() => {
    const submit = submitRef.current;
    if (full) submit?.focus({ preventScroll: true });
    else if (submit !== null && document.activeElement === submit)
      submit.closest('.pin')?.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
  }, [full]);

  return submitRef;
}

export interface DigitPadProps {
  /** Digits entered (as the host counts them) and how many the entry takes. */
  entered: number;
  length: number;
  onDigit(digit: number): void;
  onBackspace(): void;
  onSubmit(): void;
  labels: {
    pad: string;
    key: (digit: number) => string;
    backspace: string;
    backspaceLabel: string;
    submit: string;
    guideEntered: string;
    guideDeleted: string;
  };
  /** Test ids: `${prefix}-key-N`, `${prefix}-backspace`, `${prefix}-submit`. */
  testIdPrefix: string;
}

/**
 * The 0–9 pad of the PIN and of the one-time password: on-screen keys, keyboard and numpad, the
 * audio guide, focus to OK once full. Each key goes straight to the host; the page keeps no digit.
 */
export function DigitPad(props: DigitPadProps) {
  const { entered, length, onDigit, labels, testIdPrefix } = props;
  const full = entered >= length;
  const submitRef = usePadInput({
    accepts: 'digits',
    entered,
    full,
    canSubmit: full,
    onKey: (key) => {
      if (key.kind === 'digit') onDigit(key.digit);
    },
    onBackspace: props.onBackspace,
    onSubmit: props.onSubmit,
    guide: { entered: labels.guideEntered, deleted: labels.guideDeleted },
  });

  const digitKey = (digit: number) => (
    <button
      key={digit}
      type="button"
      className="key"
      data-testid={`${testIdPrefix}-key-${digit}`}
      aria-label={labels.key(digit)}
      disabled={full}
      onClick={() => onDigit(digit)}
    >
      {digit}
    </button>
  );

  return (
    <div className="keypad" role="group" aria-label={labels.pad}>
      {DIGIT_ROWS.map((row) => row.map(digitKey))}
      <button
        type="button"
        className="key key--backspace"
        data-testid={`${testIdPrefix}-backspace`}
        aria-label={labels.backspaceLabel}
        disabled={entered === 0}
        onClick={props.onBackspace}
      >
        {labels.backspace}
      </button>
      {digitKey(0)}
      <button
        type="button"
        className="key key--submit"
        data-testid={`${testIdPrefix}-submit`}
        ref={submitRef}
        disabled={!full}
        onClick={props.onSubmit}
      >
        {labels.submit}
      </button>
    </div>
  );
}
