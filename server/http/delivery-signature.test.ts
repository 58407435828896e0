/**
 * The delivery route over the real mutual-TLS link: the centre checks the report's signature
 * against the certificate the connection proved, before it looks at the transaction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDeliveryReport } from '../../protocol/delivery-signature.ts';
import { createCentreClient } from '../../electron/host/centre-client.ts';
import { startTlsCentreWithTerminals, type TlsCentreWithTerminals } from '../test-support/tls-centre.ts';

const TX = '7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
let tlsCentre: TlsCentreWithTerminals;
let centre: TlsCentreWithTerminals['centre'];
const tlsOf = (terminalId: string) => tlsCentre.tlsOf(terminalId);

async function post(terminalId: string, body: unknown): Promise<{ status: number; code: unknown }> {
  const response = await tlsCentre.postAs(terminalId, `/v1/transactions/${TX}/delivery`, body);
  const json = response.body as { error?: { code?: string } };
  return { status: response.status, code: json.error?.code };
}

beforeAll(async () => {
  tlsCentre = await startTlsCentreWithTerminals('delivery-tls-', ['S0001-T01', 'S0002-T01']);
  centre = tlsCentre.centre;
}, 60_000);

afterAll(() => tlsCentre?.close());

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
