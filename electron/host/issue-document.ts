import { createHash } from 'node:crypto';
import {
  checkSealMatchesDocument,
  verifySeal,
  type CertificateDocument,
  type CertificateType,
  type IssueOptions,
  type MunicipalityKey,
} from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import { kioskErrorForCentre } from './kiosk-errors.ts';

export type DocumentRenderer = (input: {
  document: CertificateDocument;
  seal: Uint8Array;
}) => Promise<{ ok: true; pdf: Uint8Array } | { ok: false; error: { kind: string } }>;

export type IssueResult =
  | { ok: true; pdf: Uint8Array; documentId: string; pageCount: number }
  | { ok: false; error: KioskErrorCode; detail?: string };

/** The binding a document for this card carries: SHA-256 (hex) of its 利用者証明用 certificate. */
export function holderBindingOf(authCertificate: Uint8Array): string {
  return createHash('sha256').update(authCertificate).digest('hex');
}

/** Caches the municipalities' seal keys; refreshes once when a seal names an unknown key. */
export function createMunicipalityKeyRing(centre: CentreClient) {
  let keys = new Map<string, Uint8Array>();
  async function refresh(): Promise<CentreResult<MunicipalityKey[]>> {
    const result = await centre.municipalityKeys();
    if (result.ok) keys = new Map(result.value.map((k) => [k.kid, Buffer.from(k.publicKeySpki, 'base64')]));
    return result;
  }
  return {
    current: () => keys,
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
  /** The fee per copy the menu showed (and the resident paid): the centre refuses if it changed. */
  quotedFeeYen: number;
  /** The resident's choices (scope, 本籍, 続柄, tax year …); absent = the type's defaults. */
  options?: IssueOptions;
  /** SHA-256 (hex) of the card's certificate (holderBindingOf): the document must carry it. */
  holderBinding: string;
}): Promise<IssueResult> {
  const issued = await input.centre.issue({
    transactionId: input.transactionId,
    terminalId: input.terminalId,
    certificateType: input.certificateType,
    copies: input.copies,
    quotedFeeYen: input.quotedFeeYen,
    ...(input.options ? { options: input.options } : {}),
  });
  if (!issued.ok) return { ok: false, error: kioskErrorForCentre(issued.failure) };
  const { document } = issued.value;
  const seal = Buffer.from(issued.value.seal, 'base64');

  if (document.holderBinding !== input.holderBinding) {
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
    if (!refreshed.ok) return { ok: false, error: kioskErrorForCentre(refreshed.failure) };
    verification = verifySeal(seal, input.keyRing.current());
  }
  if (!verification.ok) return { ok: false, error: 'document-invalid', detail: verification.error.kind };
  const mismatch = checkSealMatchesDocument(verification.payload, document);
  if (mismatch) return { ok: false, error: 'document-invalid', detail: `seal ${mismatch.field}` };

  const rendered = await input.render({ document, seal });
  if (!rendered.ok) return { ok: false, error: 'internal', detail: rendered.error.kind };
  return { ok: true, pdf: rendered.pdf, documentId: document.documentId, pageCount: document.pageCount };
}
