/**
 * The terminal CRL followed while the centre runs: a kiosk revoked by a new CRL file is refused at
 * its next request without a restart (its open connection closed too), an expiring CRL is
 * reported, and an unusable file neither starts a centre nor replaces a good CRL.
 */
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { randomUUID, webcrypto } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCentreClient, type CentreClient } from '../../electron/host/centre-client.ts';
import { createCrl, crlPem } from '../../native/test-pki/crl.ts';
import * as x509 from '../../native/test-pki/x509.ts';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import { startCentre, type CentreOptions } from '../centre.ts';

const HOUR_MS = 3_600_000;
/** A centre with no JPKI trust: these tests only ask for challenges. */
const plainCentre: CentreOptions = {
  databasePath: ':memory:',
  trustedCaCertificates: [],
  certificateRegistry: [],
  logger: false,
  sealKeys: { store: await testSealKeyStore() },
};
let dir: string;
let pki: DevPki;
const clients: CentreClient[] = [];

async function writeCrl(
  path: string,
  revokedTerminals: string[],
  nextUpdate: Date,
  signer = pki,
): Promise<void> {
  const key = await webcrypto.subtle.importKey(
    'pkcs8',
    Buffer.from(signer.caPrivateKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const der = await createCrl(
    { certificate: new x509.X509Certificate(pki.caPem), privateKey: key },
    {
      thisUpdate: new Date(Date.now() - 60_000),
      nextUpdate,
      entries: revokedTerminals.map((id) => ({
        serialNumberHex: pki.terminals.get(id)!.serialNumber,
        revokedAt: new Date(),
      })),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
    },
  );
  // Written beside and renamed over, as an operator's tooling would publish it.
  await writeFile(`${path}.new`, crlPem(der));
  await rename(`${path}.new`, path);
}

function clientOf(url: string, terminalId: string): CentreClient {
  const terminal = pki.terminals.get(terminalId)!;
  const client = createCentreClient({
    baseUrl: url,
    timeoutMs: 10_000,
    tls: { certificatePem: terminal.certificatePem, privateKeyPem: terminal.privateKeyPem, caPem: pki.caPem },
  });
  clients.push(client);
  return client;
}

const challenge = (client: CentreClient, terminalId: string) =>
  client.challenge({ transactionId: randomUUID(), terminalId });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'terminal-crl-'));
  pki = await createDevPki({
    outDir: join(dir, 'pki'),
    terminals: [{ terminalId: 'S0001-T01' }, { terminalId: 'S0001-T02' }],
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('terminal CRL reload', () => {
  it('refuses a kiosk revoked while the centre runs, without a restart, and reports an expiring CRL', async () => {
    const crlFile = join(dir, 'live.crl.pem');
    await writeCrl(crlFile, [], new Date(Date.now() + 30 * 24 * HOUR_MS));
    const logs: string[] = [];
    const centre = await startCentre({
      ...plainCentre,
      logger: { level: 'info', stream: { write: (line) => logs.push(line) } },
      tls: {
        certificatePem: pki.server.certificatePem,
        privateKeyPem: pki.server.privateKeyPem,
        terminalCaPem: pki.caPem,
        terminalCrlFile: crlFile,
      },
    });
    try {
      const crl = centre.centre.terminalCrl!;
      expect(crl.status()).toMatchObject({ state: 'current', revokedSerials: 0 });
      const revokedLater = clientOf(centre.url, 'S0001-T02');
      const other = clientOf(centre.url, 'S0001-T01');
      expect(await challenge(revokedLater, 'S0001-T02')).toMatchObject({ ok: true });
      expect(await challenge(other, 'S0001-T01')).toMatchObject({ ok: true });

      // Revoked now, expiring within the warning window: the file watch picks it up.
      await writeCrl(crlFile, ['S0001-T02'], new Date(Date.now() + HOUR_MS));
      await vi.waitFor(() => expect(crl.status()).toMatchObject({ state: 'expiring', revokedSerials: 1 }), {
        timeout: 10_000,
      });
      // The same client (its kept-alive connection closed) and a new one: both refused at TLS.
      expect(await challenge(revokedLater, 'S0001-T02')).toMatchObject({
        ok: false,
        failure: { kind: 'centre-unreachable' },
      });
      expect(await challenge(clientOf(centre.url, 'S0001-T02'), 'S0001-T02')).toMatchObject({
        ok: false,
        failure: { kind: 'centre-unreachable' },
      });
      expect(await challenge(other, 'S0001-T01')).toMatchObject({ ok: true });
      const warnings = logs.map((line) => JSON.parse(line) as { level: number; msg: string; state?: string });
      expect(warnings).toContainEqual(
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/expires soon/), state: 'expiring' }),
      );

      // A forged CRL (another CA's key) does not replace the good one.
      const rogue = await createDevPki({ outDir: join(dir, 'rogue'), terminals: [] });
      await writeCrl(crlFile, [], new Date(Date.now() + 30 * 24 * HOUR_MS), rogue);
      expect(await crl.reload()).toMatchObject({ state: 'unusable', problem: 'crl-signature-invalid' });
      expect(await challenge(clientOf(centre.url, 'S0001-T02'), 'S0001-T02')).toMatchObject({
        ok: false,
        failure: { kind: 'centre-unreachable' },
      });
    } finally {
      await centre.close();
    }
  });

  it.each([
    ['missing', async (_path: string) => {}],
    ['expired', (path: string) => writeCrl(path, [], new Date(Date.now() - HOUR_MS))],
    ['not a CRL', (path: string) => writeFile(path, 'not a crl')],
  ] as const)('a centre does not start with a %s terminal CRL', async (name, make) => {
    const crlFile = join(dir, `start-${name.replace(/ /g, '-')}.crl.pem`);
    await make(crlFile);
    await expect(
      startCentre({
        ...plainCentre,
        tls: {
          certificatePem: pki.server.certificatePem,
          privateKeyPem: pki.server.privateKeyPem,
          terminalCaPem: pki.caPem,
          terminalCrlFile: crlFile,
        },
      }),
    ).rejects.toThrow(/terminal CRL/);
  });
});
