import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskConfigurationError, startKioskHostFromEnvironment } from './start-from-environment.ts';

describe('the kiosk’s seal root keys (KIOSK_SEAL_ROOT_KEYS)', () => {
  let dir: string;
  const base = {
    KIOSK_CENTRE_URL: 'http://127.0.0.1:9',
    KIOSK_TERMINAL_ID: 'S0001-T01',
    KIOSK_PAYMENT_SERIAL: '/nonexistent/ttyCCTALK',
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-env-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('are required: a kiosk without them does not start', async () => {
    const start = startKioskHostFromEnvironment({ ...base, KIOSK_SPOOL_DIR: dir });
    await expect(start).rejects.toThrow(KioskConfigurationError);
    await expect(startKioskHostFromEnvironment({ ...base, KIOSK_SPOOL_DIR: dir })).rejects.toThrow(
      /KIOSK_SEAL_ROOT_KEYS/,
    );
  });

  it('must be a readable PEM file of P-256 public keys', async () => {
    const notKeys = join(dir, 'not-keys.pem');
    await writeFile(notKeys, 'hello');
    await expect(
      startKioskHostFromEnvironment({ ...base, KIOSK_SPOOL_DIR: dir, KIOSK_SEAL_ROOT_KEYS: notKeys }),
    ).rejects.toThrow('KIOSK_SEAL_ROOT_KEYS: no PUBLIC KEY block');
    await expect(
      startKioskHostFromEnvironment({
        ...base,
        KIOSK_SPOOL_DIR: dir,
        KIOSK_SEAL_ROOT_KEYS: join(dir, 'absent.pem'),
      }),
    ).rejects.toThrow(/cannot read KIOSK_SEAL_ROOT_KEYS/);
  });
});

describe('the kiosk’s payment device (KIOSK_PAYMENT_SERIAL)', () => {
  let dir: string;
  let roots: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-env-'));
    roots = join(dir, 'roots.pem');
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(roots, publicKey.export({ format: 'pem', type: 'spki' }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is required: credit only comes from a payment device', async () => {
    const start = startKioskHostFromEnvironment({
      KIOSK_CENTRE_URL: 'http://127.0.0.1:9',
      KIOSK_TERMINAL_ID: 'S0001-T01',
      KIOSK_SPOOL_DIR: dir,
      KIOSK_SEAL_ROOT_KEYS: roots,
    });
    await expect(start).rejects.toThrow(KioskConfigurationError);
    await expect(start).rejects.toThrow(/KIOSK_PAYMENT_SERIAL/);
  });

  it('must be a serial line that opens', async () => {
    await expect(
      startKioskHostFromEnvironment({
        KIOSK_CENTRE_URL: 'http://127.0.0.1:9',
        KIOSK_TERMINAL_ID: 'S0001-T01',
        KIOSK_SPOOL_DIR: dir,
        KIOSK_SEAL_ROOT_KEYS: roots,
        KIOSK_PAYMENT_SERIAL: '/nonexistent/ttyCCTALK',
      }),
    ).rejects.toThrow(/payment device is not available/);
  });
});
