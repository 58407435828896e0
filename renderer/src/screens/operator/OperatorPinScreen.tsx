import { useEffect } from 'react';
import { useKioskActions } from '../../kioskContext.tsx';
import type { ScreenView } from '../../kioskContext.tsx';
import { fill, OPERATOR_MESSAGES } from './operator-messages.ts';

const DIGITS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 0] as const;
const MIN_DIGITS = 6;

/** The operator PIN pad: each digit goes to the host on its own; the page holds none. Japanese (with English beneath). */
export function OperatorPinScreen({ view }: { view: ScreenView<'operator-pin'> }) {
  const { send } = useKioskActions();
  const m = OPERATOR_MESSAGES.ja;
  const en = OPERATOR_MESSAGES.en;
  const locked = view.lockedUntil !== undefined;
  const busy = view.checking === true || locked;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || busy) return;
      if (/^[0-9]$/.test(event.key)) void send({ type: 'operator-pin-digit', digit: Number(event.key) });
      else if (event.key === 'Backspace') void send({ type: 'operator-pin-backspace' });
      // Enter goes to the host, which holds the digits and refuses a PIN too short: the count on
      // this page may lag behind fast typing.
      else if (event.key === 'Enter') void send({ type: 'operator-pin-submit' });
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, send]);

  const lockedAt = view.lockedUntil ? new Date(view.lockedUntil).toLocaleTimeString('ja-JP') : '';
  return (
    <div className="kiosk operator" data-testid="screen-operator-pin" lang="ja">
      {/* The kiosk's grid is header, body, footer: without a header the body would take the header's row. */}
      <header className="kiosk-header">
        <h1>{m.pinHeading}</h1>
      </header>
      <main className="kiosk-body">
        <div className="pin">
          <div className="pin-info">
            <p className="body-text">
              {m.pinBody}
              <br />
              <span lang="en">{en.pinBody}</span>
            </p>
            <div
              className="pin-dots"
              role="status"
              aria-label={fill(m.pinProgress, { n: view.digitsEntered })}
            >
              {Array.from({ length: view.digitsEntered }, (_, i) => (
                <span key={i} className="pin-dot pin-dot--filled" />
              ))}
            </div>
            {view.checking && <p role="status">{m.pinChecking}</p>}
            {locked ? (
              <p className="notice notice--error" role="alert" data-testid="operator-pin-locked">
                {fill(m.pinLocked, { t: lockedAt })}
              </p>
            ) : (
              view.triesLeft !== null && (
                <p className="notice notice--error" role="alert" data-testid="operator-pin-wrong">
                  {fill(m.pinWrong, { n: view.triesLeft })}
                </p>
              )
            )}
          </div>
          <div className="keypad" role="group" aria-label={m.pinHeading}>
            {DIGITS.map((digit) => (
              <button
                key={digit}
                type="button"
                className="key"
                aria-label={fill(m.pinKey, { n: digit })}
                disabled={busy}
                onClick={() => void send({ type: 'operator-pin-digit', digit })}
              >
                {digit}
              </button>
            ))}
            <button
              type="button"
              className="key key--backspace"
              aria-label={m.pinBackspace}
              disabled={busy || view.digitsEntered === 0}
              onClick={() => void send({ type: 'operator-pin-backspace' })}
            >
              {m.pinBackspace}
            </button>
            <button
              type="button"
              className="key key--submit"
              disabled={busy || view.digitsEntered < MIN_DIGITS}
              onClick={() => void send({ type: 'operator-pin-submit' })}
            >
              {m.pinSubmit}
            </button>
          </div>
        </div>
      </main>
      <footer className="kiosk-footer">
        <button type="button" className="button" onClick={() => void send({ type: 'operator-exit' })}>
          {m.exit}
        </button>
      </footer>
    </div>
  );
}
