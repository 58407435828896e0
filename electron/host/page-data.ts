/**
 * What the kiosk's page (Chromium) keeps on disk must not outlive a resident: Electron's session
 * data — HTTP cache, local and session storage, IndexedDB, service workers — goes to a folder
 * made for this start only (removed at quit), and is cleared after every session. The page gets
 * the resident's data over IPC only, so this is defence in depth, not the main guard.
 */
import type { KioskSnapshot } from '../kiosk-api.ts';

/** Calls `ended` each time a session closes: a transaction id, then none (the welcome screen). */
export function whenSessionEnds(
  host: { onSnapshot(listener: (snapshot: KioskSnapshot) => void): () => void },
  ended: () => void,
): () => void {
  let open = false;
  return host.onSnapshot((snapshot) => {
    if (snapshot.transactionId !== null) open = true;
    else if (open) {
      open = false;
      ended();
    }
  });
}
