import { createHash } from 'node:crypto';
import {
  checkPageSeals,
  holderBindingFor,
  type CertificateDocument,
  type CertificateType,
  type IssueOptions,
  type MunicipalityKey,
} from '../../protocol/index.ts';
import { publishedKeysOfCentreList } from '../../protocol/centre-keys.ts';
import type { PublishedSealKeys } from '../../protocol/seal-keys.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import { kioskErrorForCentre } from './kiosk-errors.ts';

export type DocumentRenderer = (input: {
  document: CertificateDocument;
  /** One seal per page, page 1 first. */
  seals: Uint8Array[];
}) => Promise<{ ok: true; pdf: Uint8Array } | { ok: false; error: { kind: string } }>;

export type IssueResult =
  | { ok: true; pdf: Uint8Array; documentId: string; pageCount: number }
  | { ok: false; error: KioskErrorCode; detail?: string };

/** Caches the municipalities' seal keys; refreshes once when a seal names an unknown key. */
export function createMunicipalityKeyRing(centre: CentreClient) {
  let keys: PublishedSealKeys = new Map();
  async function refresh(): Promise<CentreResult<MunicipalityKey[]>> {
    const result = await centre.municipalityKeys();
    if (result.ok) keys = publishedKeysOfCentreList(result.value);
    return result;
  }
  return {
    current: (): PublishedSealKeys => keys,
    refresh,
  };
}
export type MunicipalityKeyRing = ReturnType<typeof createMunicipalityKeyRing>;

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
  const seals = issued.value.seals.map((seal) => new Uint8Array(Buffer.from(seal, 'base64')));

  const fingerprint = createHash('sha256').update(input.authCertificate).digest('hex');
  if (document.holderBinding !== holderBindingFor(document.holderSalt, fingerprint)) {
    return { ok: false, error: 'document-invalid', detail: 'holder binding does not match the card' };
  }
  if (
    document.transactionId !== input.transactionId ||
    document.certificateType !== input.certificateType ||
    document.content.kind !== input.certificateType
  ) {
    return { ok: false, error: 'document-invalid', detail: 'document is for another request' };
  }

  // Every page's seal: signed by a key of the document's municipality, for this document, this
  // page of n, this holder binding and the facts printed on that page.
  let checked = checkPageSeals(seals, document, input.keyRing.current());
  if (!checked.ok && checked.error.kind === 'seal-unknown-key') {
    const refreshed = await input.keyRing.refresh();
    if (!refreshed.ok) return { ok: false, error: kioskErrorForCentre(refreshed.failure) };
    checked = checkPageSeals(seals, document, input.keyRing.current());
  }
  if (!checked.ok) {
    const error = checked.error;
    const detail =
      error.kind === 'seal-document-mismatch' ? `seal page ${error.page} ${error.field}` : error.kind;
    return { ok: false, error: 'document-invalid', detail };
  }

  const rendered = await input.render({ document, seals });
  if (!rendered.ok) return { ok: false, error: 'internal', detail: rendered.error.kind };
  return { ok: true, pdf: rendered.pdf, documentId: document.documentId, pageCount: document.pageCount };
}
