/**
 * Driving a kiosk host in its unit tests as the page would: wait for a screen, walk to the menu.
 */
import type { KioskScreen } from '../../kiosk-api.ts';
import type { KioskHost } from '../kiosk-host.ts';

/** The next `screen` for which `ready` holds (now or later); rejects after 5 s. */
export function waitFor<S extends KioskScreen['screen']>(
  h: KioskHost,
  screen: S,
  ready: (view: Extract<KioskScreen, { screen: S }>) => boolean = () => true,
): Promise<Extract<KioskScreen, { screen: S }>> {
  return new Promise((resolve, reject) => {
    const check = (view: KioskScreen) => {
      if (view.screen !== screen || !ready(view as Extract<KioskScreen, { screen: S }>)) return false;
      resolve(view as Extract<KioskScreen, { screen: S }>);
      return true;
    };
    if (check(h.getSnapshot().view)) return;
    const timer = setTimeout(
      () => reject(new Error(`no ${screen}; at ${h.getSnapshot().view.screen}`)),
      5000,
    );
    const off = h.onSnapshot((s) => {
      if (check(s.view)) {
        clearTimeout(timer);
        off();
      }
    });
  });
}

/** Starts a session, enters PIN 1234 and waits for the menu. */
export async function toMenu(h: KioskHost) {
  h.send({ type: 'start' });
  await waitFor(h, 'pin-entry');
  for (const digit of [1, 2, 3, 4]) h.send({ type: 'pin-digit', digit });
  h.send({ type: 'pin-submit' });
  return waitFor(h, 'menu');
}
