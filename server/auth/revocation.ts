/**
 * Revocation of a card's authentication certificate: OCSP first; only when the responder cannot
 * be reached or says "try later"/"internal error" does the CA's CRL decide. An answer that
 * arrives but fails a check (signature, nonce, responder, times, unknown status) is a refusal,
 * never a reason to fall back. Checked CRLs are cached per CA until their nextUpdate.
 */
import {
  checkCrl,
  crlStatus,
  httpCrlFetcher,
  type CheckedCrl,
  type CrlFetcher,
  type CrlProblem,
} from './crl.ts';
import {
  DEFAULT_OCSP_TIME_POLICY,
  httpOcspTransport,
  queryOcsp,
  type OcspProblem,
  type OcspTimePolicy,
  type OcspTransport,
} from './ocsp.ts';

export const OCSP_TIMEOUT_MS = 5_000;

/**
 * The centre's revocation policy for card certificates: explicit configuration, required in
 * production (`startCentre` refuses to start without it). Every field is a decision an operator
 * makes for their responder; none has a default.
 */
export interface RevocationPolicy {
  /** The designated responder for every CA; absent = the certificate's AIA OCSP URL. */
  ocspUrl?: string;
  /**
   * `required`: the answer must echo this request's nonce (a live responder). `optional`: a
   * pre-signed (RFC 5019) answer without a nonce is accepted within `maxThisUpdateAgeMs`; an
   * answer carrying a wrong nonce is refused either way.
   */
  nonce: 'required' | 'optional';
  /** How old (plus skew) an answer's thisUpdate may be: minutes for a live responder, the refresh period of a pre-signed one. */
  maxThisUpdateAgeMs: number;
  /**
   * The CA's CRL (`${crlBaseUrl}/<SHA-256 hex of the CA certificate>.crl`) decides when OCSP cannot
   * be reached (network, time-out, HTTP error, tryLater, internalError) — never when OCSP answered,
   * revoked or not, and never for an answer that fails a check. `none`: unreachable OCSP refuses.
   */
  crlFallback: { crlBaseUrl: string } | 'none';
}

/** One revocation decision, logged per request: no serial, no name, only the transaction. */
export interface RevocationDecision {
  transactionId?: string;
  outcome: 'good' | 'revoked' | 'unverified';
  /** Who decided: the OCSP answer, the CRL after OCSP was unreachable, or nobody. */
  source: 'ocsp' | 'crl' | 'none';
  ocspProblem?: RevocationProblem;
  crlProblem?: RevocationProblem;
  nonce: RevocationPolicy['nonce'];
  maxThisUpdateAgeMs: number;
}

export interface RevocationOptions extends RevocationPolicy {
  timeoutMs?: number;
  allowedSkewMs?: number;
  transport?: OcspTransport;
  crlFetcher?: CrlFetcher;
  /** Called once per check with the decision (the centre logs it). */
  onDecision?: (decision: RevocationDecision) => void;
}

export type RevocationProblem = OcspProblem | CrlProblem | 'no-ocsp-url';

export type RevocationVerdict =
  | { status: 'good'; source: 'ocsp' | 'crl' }
  | { status: 'revoked'; source: 'ocsp' | 'crl'; reason?: number }
  | { status: 'unverified'; problem: RevocationProblem };

export interface RevocationSubject {
  certificateDer: Uint8Array;
  /** The issuing CA chosen by signature, and its SHA-256 fingerprint. */
  issuerDer: Uint8Array;
  issuerFingerprint: string;
  serialNumberHex: string;
  /**
   * The certificate's serial number (its DER INTEGER's content bytes), when the caller has read
   * the certificate already; otherwise the OCSP request reads it from `certificateDer`.
   */
  serialNumber?: Uint8Array;
  /** The certificate's AIA OCSP URL, if any. */
  aiaOcspUrl?: string;
}

export class RevocationChecker {
  private readonly time: OcspTimePolicy;
  private readonly timeoutMs: number;
  private readonly transport: OcspTransport;
  private readonly crlFetcher: CrlFetcher;
  private readonly crls = new Map<string, CheckedCrl>();

  constructor(private readonly options: RevocationOptions) {
    this.time = {
      allowedSkewMs: options.allowedSkewMs ?? DEFAULT_OCSP_TIME_POLICY.allowedSkewMs,
      maxThisUpdateAgeMs: options.maxThisUpdateAgeMs,
      nonce: options.nonce,
    };
    this.timeoutMs = options.timeoutMs ?? OCSP_TIMEOUT_MS;
    this.transport = options.transport ?? httpOcspTransport;
    this.crlFetcher = options.crlFetcher ?? httpCrlFetcher;
  }

  /** OCSP, then (only when OCSP is unreachable) the CRL; the decision goes to `onDecision`. */
  async check(
    subject: RevocationSubject,
    now: Date,
    context: { transactionId?: string } = {},
  ): Promise<RevocationVerdict> {
    const decided = await this.decide(subject, now);
    this.options.onDecision?.({
      ...context,
      outcome: decided.verdict.status,
      source: decided.verdict.status === 'unverified' ? 'none' : decided.verdict.source,
      ...(decided.ocspProblem ? { ocspProblem: decided.ocspProblem } : {}),
      ...(decided.verdict.status === 'unverified' && decided.verdict.problem !== decided.ocspProblem
        ? { crlProblem: decided.verdict.problem }
        : {}),
      nonce: this.time.nonce,
      maxThisUpdateAgeMs: this.time.maxThisUpdateAgeMs,
    });
    return decided.verdict;
  }

  private async decide(
    subject: RevocationSubject,
    now: Date,
  ): Promise<{ verdict: RevocationVerdict; ocspProblem?: RevocationProblem }> {
    const url = this.options.ocspUrl ?? subject.aiaOcspUrl;
    let ocspProblem: RevocationProblem = 'no-ocsp-url';
    if (url) {
      const outcome = await queryOcsp({
        certificateDer: subject.certificateDer,
        ...(subject.serialNumber ? { serialNumber: subject.serialNumber } : {}),
        issuerDer: subject.issuerDer,
        url,
        now,
        timeoutMs: this.timeoutMs,
        time: this.time,
        transport: this.transport,
      });
      if (outcome.kind === 'good') return { verdict: { status: 'good', source: 'ocsp' } };
      if (outcome.kind === 'revoked') return { verdict: revoked('ocsp', outcome.reason) };
      // An answer that arrived but fails a check refuses: falling back would let a forger choose.
      if (!outcome.problem.startsWith('unavailable-'))
        return { verdict: { status: 'unverified', problem: outcome.problem }, ocspProblem: outcome.problem };
      ocspProblem = outcome.problem;
    }
    const fallback = this.options.crlFallback;
    if (fallback === 'none') return { verdict: { status: 'unverified', problem: ocspProblem }, ocspProblem };
    const crl = await this.currentCrl(subject, now, fallback.crlBaseUrl);
    if (!crl.ok) return { verdict: { status: 'unverified', problem: crl.problem }, ocspProblem };
    const status = crlStatus(crl.crl, subject.serialNumberHex);
    return {
      verdict: status.kind === 'good' ? { status: 'good', source: 'crl' } : revoked('crl', status.reason),
      ocspProblem,
    };
  }

  private async currentCrl(
    subject: RevocationSubject,
    now: Date,
    crlBaseUrl: string,
  ): Promise<{ ok: true; crl: CheckedCrl } | { ok: false; problem: CrlProblem }> {
    const cached = this.crls.get(subject.issuerFingerprint);
    if (cached && cached.nextUpdate.getTime() >= now.getTime()) return { ok: true, crl: cached };
    let der: Uint8Array;
    try {
      der = await this.crlFetcher(
        `${crlBaseUrl}/${subject.issuerFingerprint}.crl`,
        AbortSignal.timeout(this.timeoutMs),
      );
    } catch {
      return { ok: false, problem: 'crl-unavailable' };
    }
    const checked = await checkCrl(der, subject.issuerDer, now, this.time.allowedSkewMs);
    if (checked.ok) this.crls.set(subject.issuerFingerprint, checked.crl);
    return checked;
  }
}

function revoked(source: 'ocsp' | 'crl', reason: number | undefined): RevocationVerdict {
  return reason === undefined ? { status: 'revoked', source } : { status: 'revoked', source, reason };
}
