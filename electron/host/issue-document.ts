import { createHash } from 'node:crypto';
import {
  checkPageSeals,
  holderBindingFor,
  verifyKeyList,
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
  /** One seal per page, page 1 first. */
  seals: Uint8Array[];
}) => Promise<{ ok: true; pdf: Uint8Array } | { ok: false; error: { kind: string } }>;

export type IssueResult =
  | { ok: true; pdf: Uint8Array; documentId: string; pageCount: number }
  | { ok: false; error: KioskErrorCode; detail?: string };

/** The binding a document for this card carries: SHA-256 (hex) of its 利用者証明用 certificate. */
export function holderBindingOf(authCertificate: Uint8Array): string {
  return createHash('sha256').update(authCertificate).digest('hex');
}

export type KeyRingRefresh =
  | { ok: true; keys: PublishedSealKeys }
  | { ok: false; failure: { kind: 'centre'; failure: CentreFailure } | KeyListError };

export interface MunicipalityKeyRing {
  /** kid → SPKI DER of every key on the last list that verified (for `verifySeal`). */
  current(): ReadonlyMap<string, Uint8Array>;
  /** The key as its list published it: municipality, validity, status. */
  key(kid: string): PublishedSealKey | undefined;
  /** Every key on the last list that verified, as published (for `checkPageSeals`). */
  published(): PublishedSealKeys;
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
    published: () => keys,
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
  /** The fee per copy the menu showed (and the resident paid): the centre refuses if it changed. */
  quotedFeeYen: number;
  /** The resident's choices (scope, 本籍, 続柄, tax year …); absent = the type's defaults. */
  options?: IssueOptions;
  /** SHA-256 (hex) of the card's certificate (holderBindingOf): the document must carry it. */
  holderBinding: string;
  /** The kiosk's clock, for the seal key's validity (default: the system clock). */
  now?: () => Date;
}): Promise<IssueResult> {
  const issued = await input.centre.issue({
    transactionId: input.transactionId,
    terminalId: input.terminalId,
    certificateType: input.certificateType,
    copies: input.copies,
    quotedFeeYen: input.quotedFeeYen,
    ...(input.options ? { options: input.options } : {}),
  });
  if (!issued.ok)
    return {
      ok: false,
      error: kioskErrorForCentre(issued.failure),
      // The centre's own code (e.g. issue-replay-refused) for the journal and the log: never shown.
      detail: issued.failure.kind === 'centre-error' ? issued.failure.code : issued.failure.kind,
    };
  const { document } = issued.value;
  const seals = issued.value.seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64')));

  // input.holderBinding is the card certificate's SHA-256 (holderBindingOf); the document carries
  // it only salted, per document.
  if (document.holderBinding !== holderBindingFor(document.holderSalt, input.holderBinding)) {
    return { ok: false, error: 'document-invalid', detail: 'holder binding does not match the card' };
  }
  if (
    document.transactionId !== input.transactionId ||
    document.certificateType !== input.certificateType ||
    document.content.kind !== input.certificateType
  ) {
    return { ok: false, error: 'document-invalid', detail: 'document is for another request' };
  }

  // Every page's seal: a key of the document's municipality, valid now and when the seal was
  // made, for this document, this page of n, this holder binding and the facts on that page.
  const now = (input.now ?? (() => new Date()))();
  let checked = checkPageSeals(seals, document, input.keyRing.published(), now);
  if (!checked.ok && checked.error.kind === 'seal-unknown-key') {
    const refreshed = await input.keyRing.refresh();
    if (!refreshed.ok) {
      const failure = refreshed.failure;
      if (failure.kind === 'centre') return { ok: false, error: kioskErrorForCentre(failure.failure) };
      return { ok: false, error: 'document-invalid', detail: failure.kind };
    }
    checked = checkPageSeals(seals, document, input.keyRing.published(), now);
  }
  if (!checked.ok) {
    const error = checked.error;
    const detail =
      error.kind === 'seal-document-mismatch' ? `seal page ${error.page} ${error.field}` : error.kind;
    return { ok: false, error: 'document-invalid', detail };
  }
  // A kiosk prints only what a verifier accepts without a caveat: no key revoked since.
  if (checked.notices.length > 0) return { ok: false, error: 'document-invalid', detail: 'seal-key-revoked' };

  const rendered = await input.render({ document, seals });
  if (!rendered.ok) return { ok: false, error: 'internal', detail: rendered.error.kind };
  return { ok: true, pdf: rendered.pdf, documentId: document.documentId, pageCount: document.pageCount };
}
