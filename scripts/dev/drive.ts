/**
 * Drives the kiosk host through window.kiosk-style intents, as the renderer does: used by
 * `npm run issue` and by tests that run whole transactions without a browser.
 */
import type { CertificateType } from '../../protocol/index.ts';
import type { KioskIntent, KioskScreen, KioskSnapshot } from '../../electron/kiosk-api.ts';
import type { KioskHost } from '../../electron/host/kiosk-host.ts';

export type ScreenName = KioskScreen['screen'];

export class DriveError extends Error {
  override readonly name = 'DriveError';
}

/** Resolves with the first snapshot (current or later) whose screen is one of `screens`. */
export function waitForScreen(
  host: KioskHost,
  screens: readonly ScreenName[],
  timeoutMs = 60_000,
): Promise<KioskSnapshot> {
  return new Promise((resolve, reject) => {
    const current = host.getSnapshot();
    if (screens.includes(current.view.screen)) {
      resolve(current);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new DriveError(
          `timed out waiting for ${screens.join('|')}; screen is ${host.getSnapshot().view.screen}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = host.onSnapshot((snapshot) => {
      if (!screens.includes(snapshot.view.screen)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
    });
  });
}

function send(host: KioskHost, intent: KioskIntent): void {
  const result = host.send(intent);
  if (!result.accepted) throw new DriveError(`intent ${intent.type} refused (${result.reason})`);
}

export type TransactionOutcome =
  | { kind: 'printed'; transactionId: string; changeYen: number }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'error'; snapshot: KioskSnapshot }
  | { kind: 'not-available'; reason: string };

/** One whole transaction: start, PIN, certificate, copies, pay with 1000-yen notes, print. */
export async function runTransaction(
  host: KioskHost,
  request: { pin: string; certificateType: CertificateType; copies: number },
): Promise<TransactionOutcome> {
  if (!/^[0-9]{4}$/.test(request.pin)) throw new DriveError('the PIN is 4 digits');
  send(host, { type: 'start' });
  let snapshot = await waitForScreen(host, ['pin-entry', 'error']);
  if (snapshot.view.screen === 'error') return { kind: 'error', snapshot };
  const transactionId = snapshot.transactionId as string;

  for (const digit of request.pin) send(host, { type: 'pin-digit', digit: Number(digit) });
  send(host, { type: 'pin-submit' });
  snapshot = await waitForScreen(host, ['menu', 'error', 'pin-entry']);
  if (snapshot.view.screen === 'pin-entry') {
    const triesLeft = snapshot.view.triesLeft ?? 0;
    send(host, { type: 'cancel' });
    await waitForScreen(host, ['welcome']);
    return { kind: 'wrong-pin', triesLeft };
  }
  if (snapshot.view.screen !== 'menu') return { kind: 'error', snapshot };

  const item = snapshot.view.items.find((i) => i.certificateType === request.certificateType);
  if (!item || !item.available) {
    send(host, { type: 'cancel' });
    await waitForScreen(host, ['welcome']);
    return { kind: 'not-available', reason: item && !item.available ? item.reason : 'not-offered' };
  }
  send(host, { type: 'choose-certificate', certificateType: request.certificateType });
  await waitForScreen(host, ['confirm']);
  if (request.copies !== 1) send(host, { type: 'set-copies', copies: request.copies });
  send(host, { type: 'confirm' });
  snapshot = await waitForScreen(host, ['payment']);
  while (snapshot.view.screen === 'payment' && snapshot.view.paidYen < snapshot.view.totalYen) {
    send(host, { type: 'insert-money', yen: 1000 });
    snapshot = host.getSnapshot();
  }
  snapshot = await waitForScreen(host, ['done', 'error'], 180_000);
  if (snapshot.view.screen === 'error') return { kind: 'error', snapshot };
  const changeYen = snapshot.view.screen === 'done' ? snapshot.view.changeYen : 0;
  send(host, { type: 'finish' });
  await waitForScreen(host, ['welcome']);
  return { kind: 'printed', transactionId, changeYen };
}
