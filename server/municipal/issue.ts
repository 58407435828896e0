import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { createPageSeals, holderBindingFor } from '../../protocol/seal.ts';
import { decodeStoredSeals, encodeStoredSeals } from './stored-seals.ts';
import { CertificateDocumentSchema, type CertificateDocument } from '../../protocol/documents.ts';
import type { IssueRequest, IssueResponse } from '../../protocol/api.ts';
import type { CentreRepository } from '../db/repository.ts';
import type { IssuedDocumentRecord } from '../db/records.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import { certify, checkOptions } from './certify.ts';
import type { SealKeyring } from '../keys/seal-keyring.ts';
import type { RegisterStore } from './register-store.ts';
import { describeProblems, type PrintabilityCheck } from './printability.ts';
import { availableCertificateFor } from './residentContext.ts';
import { liveSession } from './live-session.ts';

export interface IssuerDeps {
  repository: CentreRepository;
  keyring: SealKeyring;
  registers: RegisterStore;
  /** The real time: session life, revocation, the document's issuedAt, billing. */
  now: () => Date;
  /** The time service hours are judged at (default: `now`); a demo may shift it. */
  openingHoursNow?: () => Date;
  /** The kiosk's printability check (printability.ts); absent: documents are not checked here. */
  printability?: PrintabilityCheck;
}

/** SHA-256 (hex) of what a retry must repeat exactly: certificate type, copies, options (absent = {}). */
export function issueRequestSha256(request: IssueRequest): string {
  const canonical = canonicalize({
    certificateType: request.certificateType,
    copies: request.copies,
    options: request.options ?? {},
  });
  return createHash('sha256')
    .update(canonical ?? '')
    .digest('hex');
}

/** Whether a stored issuance answers this request: the same request, exactly (rows before migration 9: type and copies, no options). */
function sameRequest(stored: IssuedDocumentRecord, request: IssueRequest): boolean {
  if (stored.requestSha256 !== undefined) return stored.requestSha256 === issueRequestSha256(request);
  const noOptions = request.options === undefined || Object.keys(request.options).length === 0;
  return stored.certificateType === request.certificateType && stored.copies === request.copies && noOptions;
}

/**
 * The answer from what is stored. `built` is the document this request built and validated, used
 * when the stored text is exactly its JSON (this request's own row) instead of parsing it again.
 */
function responseOf(
  documentJson: string,
  storedSeals: Uint8Array,
  built?: { document: CertificateDocument; json: string },
): IssueResponse {
  return {
    document:
      built !== undefined && built.json === documentJson
        ? built.document
        : CertificateDocumentSchema.parse(JSON.parse(documentJson)),
    seals: decodeStoredSeals(storedSeals).map((seal) => Buffer.from(seal).toString('base64')),
  };
}

/**
 * The municipal issuing server's issue step. Idempotent on transactionId: a retry within the
 * session's life that repeats the request exactly (type, copies, options) gets the same document
 * and seal; any other retry is `issue-replay-refused`. One billing record per issuance,
 * `pending` until the kiosk reports delivery (server/municipal/delivery.ts). The document is built from
 * the register as it is at this moment, for the resident bound to the authenticated transaction.
 */
export async function issueCertificate(
  deps: IssuerDeps,
  request: IssueRequest,
): Promise<CentreResult<IssueResponse>> {
  const { repository, keyring, registers } = deps;
  const now = deps.now();
  // Checked before anything stored is returned: a replay is the same request within the session's life.
  const live = await liveSession(repository, request, now);
  if (!live.ok) return live;
  const standing = live.value;
  const { session } = standing;
  const previous = standing.issued ? await repository.getIssuedDocument(request.transactionId) : undefined;
  if (previous) {
    if (!sameRequest(previous, request))
      return fail('issue-replay-refused', 'retry differs from the first issue request');
    if (previous.purgedAt !== undefined)
      return fail('issue-replay-refused', 'document no longer kept (delivered or retention passed)');
    return succeed(responseOf(previous.documentJson, previous.seal));
  }
  if (standing.certificateRevoked) {
    return fail('certificate-revoked', 'revoked after authentication');
  }

  // The registers are read now, at the moment of issue: a 印鑑登録 abolished or a 利用登録 not yet
  // approved after authentication is refused here.
  const available = await availableCertificateFor(deps, session.holderId, request.certificateType, now);
  if (!available.ok) return available;
  const { context, decision } = available.value;
  if (request.copies > decision.maxCopies) return fail('bad-request', 'too many copies');
  // The resident paid the fee the menu showed: a fee changed since is refused before anything is recorded.
  if (request.quotedFeeYen !== undefined && request.quotedFeeYen !== decision.feeYen)
    return fail('fee-changed', 'quoted fee differs from the municipality fee');
  const options = checkOptions(request.certificateType, request.options ?? {}, decision.options);
  if (!options.ok) return options;
  const certified = await certify({
    type: request.certificateType,
    options: options.value,
    allowed: decision.options,
    issuer: decision.issuer,
    context,
    frame: {
      transactionId: request.transactionId,
      certificateFingerprint: session.certificateFingerprint,
      now,
    },
    repository,
    registers,
  });
  if (!certified.ok) return certified;
  const document = certified.value;
  // Second line behind the menu: a document that would not print is refused before it is signed,
  // recorded or billed (the fields and reasons in the detail, never the values).
  const problems = deps.printability?.(document) ?? [];
  if (problems.length > 0) return fail('document-unprintable', describeProblems(problems));
  const signer = await keyring.signerFor(decision.issuer.code);
  if (!signer) return fail('internal', 'no issuing key for municipality');
  let seals: Uint8Array[];
  try {
    // One seal per page, signed on the HSM; nothing is recorded or billed when the token fails.
    seals = await createPageSeals(document, signer);
  } catch (error) {
    return fail('internal', `seal signing failed: ${error instanceof Error ? error.name : 'unknown'}`);
  }
  const documentJson = JSON.stringify(document);
  const requestSha256 = issueRequestSha256(request);

  const stored = await repository.recordIssuance(
    {
      transactionId: request.transactionId,
      holderId: session.holderId,
      municipalityCode: decision.issuer.code,
      certificateType: request.certificateType,
      copies: request.copies,
      documentJson,
      seal: encodeStoredSeals(seals),
      issuedAt: now.getTime(),
      requestSha256,
      documentSha256: createHash('sha256').update(documentJson).digest('hex'),
    },
    {
      transactionId: request.transactionId,
      municipalityCode: decision.issuer.code,
      certificateType: request.certificateType,
      copies: request.copies,
      feeYenTotal: decision.feeYen * request.copies,
      billedAt: now.getTime(),
    },
  );
  if (!sameRequest(stored, request) || stored.purgedAt !== undefined) {
    return fail(
      'issue-replay-refused',
      'a concurrent request issued another certificate for this transaction',
    );
  }
  const response = responseOf(stored.documentJson, stored.seal, { document, json: documentJson });
  // Last check before anything leaves: the stored document belongs to this session's card and resident.
  if (
    stored.holderId !== session.holderId ||
    response.document.holderBinding !==
      holderBindingFor(response.document.holderSalt, session.certificateFingerprint) ||
    response.document.transactionId !== request.transactionId
  ) {
    return fail('internal', 'stored issuance does not match the session');
  }
  return succeed(response);
}
