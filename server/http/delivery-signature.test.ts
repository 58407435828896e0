/**
 * The delivery route over the real mutual-TLS link: the centre checks the report's signature
 * against the certificate the connection proved, before it looks at the transaction.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDeliveryReport } from '../../protocol/delivery-signature.ts';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import { createCentreClient } from '../../electron/host/centre-client.ts';
import { startCentre } from '../centre.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';

const TX = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
let dir: string;
let pki: DevPki;
let centre: Awaited<ReturnType<typeof startCentre>>;
const agents: Agent[] = [];

function tlsOf(terminalId: string) {
  const t = pki.terminals.get(terminalId)!;
  return { certificatePem: t.certificatePem, privateKeyPem: t.privateKeyPem, caPem: pki.caPem };
}

async function post(terminalId: string, body: unknown): Promise<{ status: number; code: unknown }> {
  const tls = tlsOf(terminalId);
  const agent = new Agent({ connect: { cert: tls.certificatePem, key: tls.privateKeyPem, ca: tls.caPem } });
  agents.push(agent);
  const response = await undiciFetch(new URL(`/v1/transactions/${TX}/delivery`, centre.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    dispatcher: agent,
  });
  const json = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: json.error?.code };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'delivery-tls-'));
  pki = await createDevPki({
    outDir: join(dir, 'pki'),
    terminals: [{ terminalId: 'S0001-T01' }, { terminalId: 'S0002-T01' }],
  });
  centre = await startCentre({
    databasePath: ':memory:',
    trustedCaCertificates: [],
    certificateRegistry: [],
    logger: false,
    sealKeys: { store: await testSealKeyStore() },
    tls: {
      certificatePem: pki.server.certificatePem,
      privateKeyPem: pki.server.privateKeyPem,
      terminalCaPem: pki.caPem,
    },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await centre?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the delivery report over mutual TLS', () => {
  const report = { terminalId: 'S0001-T01', outcome: 'voided' as const, copies: 0 };

  it('refuses an unsigned report and one signed by another terminal key with signature-invalid', async () => {
    expect(await post('S0001-T01', report)).toEqual({ status: 401, code: 'signature-invalid' });
    const byOther = signDeliveryReport(TX, report, tlsOf('S0002-T01').privateKeyPem, new Date());
    expect(await post('S0001-T01', byOther)).toEqual({ status: 401, code: 'signature-invalid' });
    expect(await centre.centre.repository.listBillingRecords()).toEqual([]);
  });

  it("takes the kiosk client's report, signed with its terminal key, to the transaction check", async () => {
    const client = createCentreClient({ baseUrl: centre.url, tls: tlsOf('S0001-T01') });
    try {
      // Nothing was issued for this transaction: the signature passed, the report is answered as such.
      expect(await client.delivery(TX, report)).toEqual({
        ok: false,
        failure: { kind: 'centre-error', code: 'not-issued', status: 404 },
      });
    } finally {
      await client.close();
    }
  });
});
