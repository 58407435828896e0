import { describe, expect, it } from 'vitest';
import { KioskConfigurationError, startKioskHostFromEnvironment } from './start-from-environment.ts';

const BASE = {
  KIOSK_CENTRE_URL: 'http://127.0.0.1:9',
  KIOSK_TERMINAL_ID: 'S0001-T01',
  KIOSK_SPOOL_DIR: '/tmp',
};

describe('kiosk configuration from the environment', () => {
  it('refuses to start without a payment device: credit only comes from one', async () => {
    const started = startKioskHostFromEnvironment(BASE);
    await expect(started).rejects.toThrow(KioskConfigurationError);
    await expect(started).rejects.toThrow(/KIOSK_PAYMENT_SERIAL/);
  });

  it('refuses a payment device path that cannot be opened', async () => {
    await expect(
      startKioskHostFromEnvironment({ ...BASE, KIOSK_PAYMENT_SERIAL: '/nonexistent/ttyCCTALK' }),
    ).rejects.toThrow(/payment device is not available/);
  });
});
