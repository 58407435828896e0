import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPageSeals } from '../../protocol/seal.ts';
import { testRootKey, testSealKey, testSignedKeyList } from '../../protocol/test-support/seal-keys.ts';
import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import { sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import { rootKeysFromPem } from '../../certificate-templates/verify-keys.ts';
import { startPublicCheck } from './public-check.ts';

const root = testRootKey();
const chiyoda = testSealKey('131016');
const keyList = testSignedKeyList(root, [chiyoda]);
let check: { url: string; close(): Promise<void> };
let pdf: Uint8Array;

beforeAll(async () => {
  const roots = rootKeysFromPem(root.publicKeyPem);
  if (!(roots instanceof Map)) throw new Error(roots.kind);
  check = await startPublicCheck({ host: '127.0.0.1', port: 0, keyList: async () => keyList, roots });
  const document = sampleHousehold(2);
  const rendered = await renderCertificatePdf({
    document,
    seals: await createPageSeals(document, chiyoda.signer),
  });
  if (!rendered.ok) throw new Error(rendered.error.kind);
  pdf = rendered.pdf;
}, 60_000);

afterAll(async () => {
  await check.close();
});

async function upload(files: { name: string; data: string }[]) {
  const response = await fetch(`${check.url}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { ok: boolean; text: string; error?: string },
  };
}

describe('the public check page', () => {
  it('serves the page and the published key list without a client certificate', async () => {
    const page = await fetch(`${check.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('証明書の検証');
    expect(await (await fetch(`${check.url}/v1/municipality-keys`)).json()).toEqual(keyList);
  });

  it('verifies an uploaded genuine PDF with the same verifier as npm run verify', async () => {
    const { status, body } = await upload([
      { name: 'juminhyo.pdf', data: Buffer.from(pdf).toString('base64') },
    ]);
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.text).toContain('VERIFIED');
    expect(body.text).toContain('東京都千代田区九段南一丁目2番1号');
  }, 60_000);

  it('fails a file that is not a certificate, and refuses a malformed upload', async () => {
    const garbage = await upload([{ name: 'note.txt', data: Buffer.from('hello').toString('base64') }]);
    expect(garbage.body.ok).toBe(false);
    expect(garbage.body.text).toContain('file-type-unknown');
    const bad = await fetch(`${check.url}/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ files: [], extra: 1 }),
    });
    expect(bad.status).toBe(400);
  });
});
