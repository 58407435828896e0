import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KioskConfigurationError,
  kioskConfigurationOf,
  startKioskHostFromEnvironment,
} from './start-from-environment.ts';

const transportBase = {
  KIOSK_SEAL_ROOT_KEYS: '/roots.pem',
  KIOSK_PAYMENT_SERIAL: '/dev/ttyCCTALK',
  KIOSK_TERMINAL_ID: 'S0001-T01',
  KIOSK_SPOOL_DIR: '/tmp/spool',
};
const tlsFiles = {
  KIOSK_SEAL_ROOT_KEYS: '/roots.pem',
  KIOSK_PAYMENT_SERIAL: '/dev/ttyCCTALK',
  KIOSK_TLS_CERT: '/t.pem',
  KIOSK_TLS_KEY: '/t.key',
  KIOSK_CENTRE_CA: '/ca.pem',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  const result = kioskConfigurationOf(env);
  return result.ok ? [] : result.problems;
}

describe('kiosk transport configuration', () => {
  it.each(['http://127.0.0.1:8780', 'http://localhost:8780', 'http://[::1]:8780'])(
    'development allows plain HTTP to the loopback centre %s',
    (url) => {
      expect(problemsOf({ ...transportBase, KIOSK_CENTRE_URL: url })).toEqual([]);
    },
  );

  it.each(['http://10.0.0.5:8780', 'http://centre.example.jp/', 'http://0.0.0.0:8780'])(
    'refuses a plain-HTTP centre off loopback (%s), naming TLS',
    (url) => {
      const problems = problemsOf({ ...transportBase, KIOSK_CENTRE_URL: url });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^KIOSK_CENTRE_URL: .*not loopback.*TLS/);
    },
  );

  it('takes an idle-reset limit of at least a minute', () => {
    const env = { ...transportBase, KIOSK_CENTRE_URL: 'http://127.0.0.1:8780' };
    const parsed = kioskConfigurationOf({ ...env, KIOSK_SESSION_IDLE_MS: '300000' });
    expect(parsed.ok && parsed.config.KIOSK_SESSION_IDLE_MS).toBe(300_000);
    expect(problemsOf({ ...env, KIOSK_SESSION_IDLE_MS: '5000' })).toEqual([
      expect.stringMatching(/^KIOSK_SESSION_IDLE_MS: .*at least 60000/),
    ]);
    expect(problemsOf({ ...env, KIOSK_SESSION_IDLE_MS: 'soon' })).toHaveLength(1);
  });

  it('refuses plain HTTP even on loopback in production mode', () => {
    const problems = problemsOf({
      ...transportBase,
      KIOSK_MODE: 'production',
      KIOSK_CENTRE_URL: 'http://127.0.0.1:8780',
      KIOSK_PRINTER_URL: 'ipps://printer.store.example/ipp/print',
    });
    expect(problems).toEqual([expect.stringMatching(/^KIOSK_CENTRE_URL: .*production.*TLS/)]);
  });

  it('accepts an https centre with its TLS files in production', () => {
    expect(
      problemsOf({
        KIOSK_TERMINAL_ID: 'S0001-T01',
        KIOSK_MODE: 'production',
        KIOSK_CENTRE_URL: 'https://centre.example.jp/',
        KIOSK_PRINTER_URL: 'ipps://printer.store.example/ipp/print',
        ...tlsFiles,
      }),
    ).toEqual([]);
  });

  it.each([
    ['ipp://printer.store.example/ipp/print', false],
    ['http://printer.store.example:631/ipp/print', false],
    ['https://printer.store.example/ipp/print', false],
    ['ipp://127.0.0.1:8631/ipp/print', true],
    ['ipps://printer.store.example/ipp/print', true],
  ] as const)('production printer %s allowed: %s', (printerUrl, allowed) => {
    const problems = problemsOf({
      KIOSK_TERMINAL_ID: 'S0001-T01',
      KIOSK_MODE: 'production',
      KIOSK_CENTRE_URL: 'https://centre.example.jp/',
      KIOSK_PRINTER_URL: printerUrl,
      ...tlsFiles,
    });
    expect(problems).toEqual(allowed ? [] : [expect.stringMatching(/^KIOSK_PRINTER_URL: .*ipps/)]);
  });

  it('allows any IPP printer in development', () => {
    expect(
      problemsOf({
        KIOSK_SEAL_ROOT_KEYS: '/roots.pem',
        KIOSK_PAYMENT_SERIAL: '/dev/ttyCCTALK',
        KIOSK_TERMINAL_ID: 'S0001-T01',
        KIOSK_CENTRE_URL: 'http://127.0.0.1:8780',
        KIOSK_PRINTER_URL: 'ipp://printer.store.example/ipp/print',
      }),
    ).toEqual([]);
  });

  it('refuses an unknown mode and a spool folder in production', () => {
    expect(
      problemsOf({
        ...transportBase,
        KIOSK_MODE: 'prod',
        KIOSK_CENTRE_URL: 'https://c.example/',
        ...tlsFiles,
      }),
    ).toEqual([expect.stringMatching(/^KIOSK_MODE:/)]);
    expect(
      problemsOf({
        ...transportBase,
        KIOSK_MODE: 'production',
        KIOSK_CENTRE_URL: 'https://c.example/',
        ...tlsFiles,
      }),
    ).toEqual([expect.stringMatching(/^KIOSK_SPOOL_DIR:/)]);
  });
});

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
