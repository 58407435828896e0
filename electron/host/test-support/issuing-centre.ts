/**
 * A fake centre that issues: for the host tests that need a session to reach the printer. It
 * answers `issue` with the sample 印鑑登録証明書, made for the asked transaction and bound to the
 * card's certificate, sealed with a municipal key on a key list signed by a root the key ring
 * trusts — so the kiosk's own checks (issue-document.ts) pass as they would on a real centre.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { sampleCertificate } from '../../../certificate-templates/sample-documents.ts';
import {
  createPageSeals,
  holderBindingFor,
  inMemorySealSigner,
  keyListPayloadBytes,
  sealKeyIdFor,
  type KeyListPayload,
  type SignedKeyList,
} from '../../../protocol/index.ts';
import type { CentreClient } from '../centre-client.ts';
import {
  createMunicipalityKeyRing,
  type DocumentRenderer,
  type MunicipalityKeyRing,
} from '../issue-document.ts';
import { fakeCentre } from './fakes.ts';

function newKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  return { kid: sealKeyIdFor(spki), spki, privateKey };
}

export function issuingCentre(
  cardCertificate: Uint8Array,
  overrides: Partial<CentreClient> = {},
): { centre: CentreClient; keyRing: MunicipalityKeyRing; render: DocumentRenderer } {
  const root = newKey();
  const municipal = newKey();
  const sample = sampleCertificate('inkan');
  const payload: KeyListPayload = {
    v: 1,
    issuedAt: new Date().toISOString(),
    keys: [
      {
        kid: municipal.kid,
        municipalityCode: sample.municipality.code,
        publicKeySpki: Buffer.from(municipal.spki).toString('base64'),
        validFrom: '2020-01-01T00:00:00Z',
        validTo: '2099-01-01T00:00:00Z',
        status: 'active',
      },
    ],
  };
  const bytes = keyListPayloadBytes(payload);
  const list: SignedKeyList = {
    payload: Buffer.from(bytes).toString('base64'),
    signature: sign('sha256', bytes, { key: root.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64'),
    rootKid: root.kid,
  };
  const fingerprint = createHash('sha256').update(cardCertificate).digest('hex');
  const centre = fakeCentre({
    municipalityKeys: async () => ({ ok: true, value: list }),
    issue: async (request) => {
      const document = {
        ...sample,
        transactionId: request.transactionId,
        holderBinding: holderBindingFor(sample.holderSalt, fingerprint),
      };
      const seals = await createPageSeals(document, inMemorySealSigner(municipal.kid, municipal.privateKey));
      return {
        ok: true,
        value: { document, seals: seals.map((seal) => Buffer.from(seal).toString('base64')) },
      };
    },
    ...overrides,
  });
  return {
    centre,
    keyRing: createMunicipalityKeyRing(centre, new Map([[root.kid, root.spki]])),
    render: async () => ({ ok: true, pdf: new TextEncoder().encode('%PDF-1.7 test') }),
  };
}
