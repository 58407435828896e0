import { createSealWith } from '../../protocol/seal-signer.ts';
import { CertificateDocumentSchema } from '../../protocol/documents.ts';
import type { IssueRequest, IssueResponse } from '../../protocol/api.ts';
import type { UnavailableReason } from '../../protocol/api.ts';
import type { CentreErrorCode } from '../../protocol/errors.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import { certify, checkOptions } from './certify.ts';
import type { SealKeyring } from '../keys/seal-keyring.ts';
import { decideCertificate } from './menu.ts';
import type { RegisterStore } from './register-store.ts';
import { menuContextFor } from './residentContext.ts';

export interface IssuerDeps {
  repository: CentreRepository;
  keyring: SealKeyring;
  registers: RegisterStore;
  now: () => Date;
}

const REFUSAL_FOR: Record<UnavailableReason, CentreErrorCode> = {
  'not-offered': 'certificate-not-offered',
  'outside-hours': 'outside-hours',
  'registration-needed': 'registration-needed',
  'dv-block': 'dv-block',
  age: 'age-restricted',
  'no-registration': 'no-registration',
};

function responseOf(documentJson: string, seal: Uint8Array): IssueResponse {
  return {
    document: CertificateDocumentSchema.parse(JSON.parse(documentJson)),
    seal: Buffer.from(seal).toString('base64'),
  };
}

/**
 * The municipal issuing server's issue step. Idempotent on transactionId: a retry gets the same
 * document and seal, and one billing record is written per issuance. The document is built from
 * the register as it is at this moment, for the resident bound to the authenticated transaction.
 */
export async function issueCertificate(
  deps: IssuerDeps,
  request: IssueRequest,
): Promise<CentreResult<IssueResponse>> {
  const { repository, keyring, registers } = deps;
  const now = deps.now();
  const session = await repository.getSession(request.transactionId);
  if (!session || session.terminalId !== request.terminalId)
    return fail('not-authenticated', 'no session for transaction and terminal');

  const previous = await repository.getIssuedDocument(request.transactionId);
  if (previous) {
    if (previous.certificateType !== request.certificateType || previous.copies !== request.copies) {
      return fail('bad-request', 'retry differs from the first issue request');
    }
    return succeed(responseOf(previous.documentJson, previous.seal));
  }
  if (session.expiresAt <= now.getTime()) return fail('not-authenticated', 'session expired');
  if (await repository.isCertificateRevoked(session.caFingerprint, session.serialNumberHex)) {
    return fail('certificate-revoked', 'revoked after authentication');
  }

  // The registers are read now, at the moment of issue: a 印鑑登録 abolished or a 利用登録 not yet
  // approved after authentication is refused here.
  const context = await menuContextFor(repository, registers, session.holderId, now);
  if (!context.ok) return context;
  const decision = decideCertificate(request.certificateType, context.value.menu);
  if (!decision.available) return fail(REFUSAL_FOR[decision.reason], decision.reason);
  if (request.copies > decision.maxCopies) return fail('bad-request', 'too many copies');
  const options = checkOptions(request.certificateType, request.options ?? {}, decision.options);
  if (!options.ok) return options;
  const certified = await certify({
    type: request.certificateType,
    options: options.value,
    allowed: decision.options,
    issuer: decision.issuer,
    context: context.value,
    frame: { transactionId: request.transactionId, holderBinding: session.certificateFingerprint, now },
    repository,
    registers,
  });
  if (!certified.ok) return certified;
  const document = certified.value;
  const signer = await keyring.signerFor(decision.issuer.code);
  if (!signer) return fail('internal', 'no issuing key for municipality');
  let seal: Uint8Array;
  try {
    // Signed on the HSM; nothing is recorded or billed when the token fails.
    seal = await createSealWith(document, signer);
  } catch (error) {
    return fail('internal', `seal signing failed: ${error instanceof Error ? error.name : 'unknown'}`);
  }

  const stored = await repository.recordIssuance(
    {
      transactionId: request.transactionId,
      holderId: session.holderId,
      municipalityCode: decision.issuer.code,
      certificateType: request.certificateType,
      copies: request.copies,
      documentJson: JSON.stringify(document),
      seal,
      issuedAt: now.getTime(),
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
  if (stored.certificateType !== request.certificateType || stored.copies !== request.copies) {
    return fail('bad-request', 'a concurrent request issued another certificate for this transaction');
  }
  const response = responseOf(stored.documentJson, stored.seal);
  // Last check before anything leaves: the stored document belongs to this session's card and resident.
  if (
    stored.holderId !== session.holderId ||
    response.document.holderBinding !== session.certificateFingerprint ||
    response.document.transactionId !== request.transactionId
  ) {
    return fail('internal', 'stored issuance does not match the session');
  }
  return succeed(response);
}
