import { testSealKeyStore } from './test-support/seal-keys.ts';
import { describe, expect, it } from 'vitest';
import { CentreConfigurationError, createCentre, startCentre, type CentreOptions } from './centre.ts';

const plainCentre: CentreOptions = {
  databasePath: ':memory:',
  trustedCaCertificates: [],
  certificateRegistry: [],
  logger: false,
  sealKeys: { store: await testSealKeyStore() },
};

describe('the centre refuses to serve plain HTTP where it is not safe', () => {
  it.each([
    ['on every interface', { host: '0.0.0.0' }, /not loopback.*TLS/],
    ['on a LAN address', { host: '192.0.2.10' }, /not loopback.*TLS/],
    [
      'in production, even on loopback',
      { host: '127.0.0.1', mode: 'production' as const },
      /production.*TLS/,
    ],
  ])('%s', async (_name, where, message) => {
    const started = startCentre({ ...plainCentre, ...where });
    await expect(started).rejects.toBeInstanceOf(CentreConfigurationError);
    await expect(started).rejects.toThrow(message);
  });

  it('serves plain HTTP on loopback in development (tests, local tools)', async () => {
    const centre = await startCentre({ ...plainCentre, host: '127.0.0.1' });
    try {
      expect(centre.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await centre.close();
    }
  });
});

describe('the centre refuses to start in production without a revocation policy', () => {
  it('no policy: refused, naming it', async () => {
    const created = createCentre({ ...plainCentre, mode: 'production' });
    await expect(created).rejects.toBeInstanceOf(CentreConfigurationError);
    await expect(created).rejects.toThrow(/revocation policy/);
  });

  it('an explicit policy: starts', async () => {
    const centre = await createCentre({
      ...plainCentre,
      mode: 'production',
      revocation: {
        ocspUrl: 'http://127.0.0.1:9/ocsp',
        nonce: 'required',
        maxThisUpdateAgeMs: 120_000,
        crlFallback: 'none',
      },
    });
    await centre.close();
  });
});
