import { createHash } from 'node:crypto';
import {
  checkSealKey,
  checkSealMatchesDocument,
  verifyKeyList,
  verifySeal,
  type CertificateDocument,
  type CertificateType,
  type IssueOptions,
  type KeyListError,
  type PublishedSealKey,
  type PublishedSealKeys,
} from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CentreClient, CentreFailure } from './centre-client.ts';
import { kioskErrorForCentre } from './kiosk-errors.ts';

export type DocumentRenderer = (input: {
  document: CertificateDocument;
  seal: Uint8Array;
}) => Promise<{ ok: true; pdf: Uint8Array } | { ok: false; error: { kind: string } }>;

export type IssueResult =
  | { ok: true; pdf: Uint8Array; documentId: string; pageCount: number }
  | { ok: false; error: KioskErrorCode; detail?: string };

export type KeyRingRefresh =
  | { ok: true; keys: PublishedSealKeys }
  | { ok: false; failure: { kind: 'centre'; failure: CentreFailure } | KeyListError };

export interface MunicipalityKeyRing {
  /** kid → SPKI DER of every key on the last list that verified (for `verifySeal`). */
  current(): ReadonlyMap<string, Uint8Array>;
  /** The key as its list published it: municipality, validity, status. */
  key(kid: string): PublishedSealKey | undefined;
  /** Fetches the list again; keeps the keys it had when the new list does not verify. */
  refresh(): Promise<KeyRingRefresh>;
}

/**
 * The municipalities' seal keys as the kiosk trusts them: only keys on a list that verifies
 * against the root keys the kiosk was provisioned with (KIOSK_SEAL_ROOT_KEYS), never whatever
 * the centre serves. Refreshed when a seal names an unknown key.
 */
export function createMunicipalityKeyRing(
  centre: CentreClient,
  rootKeys: ReadonlyMap<string, Uint8Array>,
): MunicipalityKeyRing {
  let keys: PublishedSealKeys = new Map();
  let spkis: ReadonlyMap<string, Uint8Array> = new Map();
  return {
    current: () => spkis,
    key: (kid) => keys.get(kid),
    async refresh() {
      const served = await centre.municipalityKeys();
      if (!served.ok) return { ok: false, failure: { kind: 'centre', failure: served.failure } };
      const verified = verifyKeyList(served.value, rootKeys);
      if (!verified.ok) return { ok: false, failure: verified.error };
      keys = verified.keys;
      spkis = new Map([...keys.values()].map((k) => [k.kid, k.publicKeySpkiDer]));
      return { ok: true, keys };
    },
  };
}

/**
 * Asks the centre for the certificate and refuses to go on unless the document is bound to the
 * certificate of the card on the reader and its municipal seal verifies and describes exactly
 * this document. Only then is it rendered.
 */
export async function issueDocument(input: {
  centre: CentreClient;
  keyRing: MunicipalityKeyRing;
  render: DocumentRenderer;
  terminalId: string;
  transactionId: string;
  certificateType: CertificateType;
  copies: number;
  /** The resident's choices (scope, 本籍, 続柄, tax year …); absent = the type's defaults. */
  options?: IssueOptions;
  authCertificate: Uint8Array;
  /** The kiosk's clock, for the seal key's validity (default: the system clock). */
  now?: () => Date;
}): Promise<IssueResult> {
  const issued = await input.centre.issue({
    transactionId: input.transactionId,
    terminalId: input.terminalId,
    certificateType: input.certificateType,
    copies: input.copies,
    ...(input.options ? { options: input.options } : {}),
  });
  if (!issued.ok) return { ok: false, error: kioskErrorForCentre(issued.failure) };
  const { document } = issued.value;
  const seal = Buffer.from(issued.value.seal, 'base64');

  const expectedBinding = createHash('sha256').update(input.authCertificate).digest('hex');
  if (document.holderBinding !== expectedBinding) {
    return { ok: false, error: 'document-invalid', detail: 'holder binding does not match the card' };
  }
  if (
    document.transactionId !== input.transactionId ||
    document.certificateType !== input.certificateType ||
    document.content.kind !== input.certificateType
  ) {
    return { ok: false, error: 'document-invalid', detail: 'document is for another request' };
  }

  let verification = verifySeal(seal, input.keyRing.current());
  if (!verification.ok && verification.error.kind === 'seal-unknown-key') {
    const refreshed = await input.keyRing.refresh();
    if (!refreshed.ok) {
      const failure = refreshed.failure;
      if (failure.kind === 'centre') return { ok: false, error: kioskErrorForCentre(failure.failure) };
      return { ok: false, error: 'document-invalid', detail: failure.kind };
    }
    verification = verifySeal(seal, input.keyRing.current());
  }
  if (!verification.ok) return { ok: false, error: 'document-invalid', detail: verification.error.kind };
  // The key must be the seal's municipality's, valid now and when the seal was made, and not
  // revoked at all: a kiosk prints only what a verifier would accept without a caveat.
  const key = input.keyRing.key(verification.kid);
  if (!key) return { ok: false, error: 'document-invalid', detail: 'seal-unknown-key' };
  const keyCheck = checkSealKey(key, verification.payload, (input.now ?? (() => new Date()))());
  if (!keyCheck.ok) return { ok: false, error: 'document-invalid', detail: keyCheck.error.kind };
  if (keyCheck.note === 'sealed-before-revocation')
    return { ok: false, error: 'document-invalid', detail: 'seal-key-revoked' };
  const mismatch = checkSealMatchesDocument(verification.payload, document);
  if (mismatch) return { ok: false, error: 'document-invalid', detail: `seal ${mismatch.field}` };

  const rendered = await input.render({ document, seal });
  if (!rendered.ok) return { ok: false, error: 'internal', detail: rendered.error.kind };
  return { ok: true, pdf: rendered.pdf, documentId: document.documentId, pageCount: document.pageCount };
}
