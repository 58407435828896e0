/**
 * The documented key sequence that opens operator mode from the welcome (or out-of-service)
 * screen: Ctrl+Alt+Shift+O twice within 2 seconds, on the service keyboard inside the kiosk's
 * locked cabinet. The page only asks; the host decides (and asks for the operator PIN).
 */
import { useEffect } from 'react';

export const OPERATOR_SEQUENCE_WINDOW_MS = 2_000;

export function isOperatorChord(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'shiftKey'>,
): boolean {
  return event.ctrlKey && event.altKey && event.shiftKey && event.key.toLowerCase() === 'o';
}

/** Calls `onSequence` when the chord is pressed twice within the window, while `active`. */
export function useOperatorKeySequence(active: boolean, onSequence: () => void): void {
  useEffect(() => {
    if (!active) return;
    let first: number | null = null;
    const onKey = (event: KeyboardEvent) => {
      if (!isOperatorChord(event)) return;
      event.preventDefault();
      const now = event.timeStamp;
      if (first !== null && now - first <= OPERATOR_SEQUENCE_WINDOW_MS) {
        first = null;
        onSequence();
      } else first = now;
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, onSequence]);
}
