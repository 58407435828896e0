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

export interface RevocationOptions {
  /** Ask this responder for every CA (the centre's designated responder); otherwise the certificate's AIA. */
  ocspUrl?: string;
  /** CRL distribution point per CA: `${crlBaseUrl}/<SHA-256 hex of the CA certificate>.crl`. No CRL fallback without it. */
  crlBaseUrl?: string;
  timeoutMs?: number;
  allowedSkewMs?: number;
  maxThisUpdateAgeMs?: number;
  transport?: OcspTransport;
  crlFetcher?: CrlFetcher;
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
  /** The certificate's AIA OCSP URL, if any. */
  aiaOcspUrl?: string;
}

export class RevocationChecker {
  private readonly time: OcspTimePolicy;
  private readonly timeoutMs: number;
  private readonly transport: OcspTransport;
  private readonly crlFetcher: CrlFetcher;
  private readonly crls = new Map<string, CheckedCrl>();

  constructor(private readonly options: RevocationOptions = {}) {
    this.time = {
      allowedSkewMs: options.allowedSkewMs ?? DEFAULT_OCSP_TIME_POLICY.allowedSkewMs,
      maxThisUpdateAgeMs: options.maxThisUpdateAgeMs ?? DEFAULT_OCSP_TIME_POLICY.maxThisUpdateAgeMs,
    };
    this.timeoutMs = options.timeoutMs ?? OCSP_TIMEOUT_MS;
    this.transport = options.transport ?? httpOcspTransport;
    this.crlFetcher = options.crlFetcher ?? httpCrlFetcher;
  }

  async check(subject: RevocationSubject, now: Date): Promise<RevocationVerdict> {
    const url = this.options.ocspUrl ?? subject.aiaOcspUrl;
    let ocspProblem: RevocationProblem = 'no-ocsp-url';
    if (url) {
      const outcome = await queryOcsp({
        certificateDer: subject.certificateDer,
        issuerDer: subject.issuerDer,
        url,
        now,
        timeoutMs: this.timeoutMs,
        time: this.time,
        transport: this.transport,
      });
      if (outcome.kind === 'good') return { status: 'good', source: 'ocsp' };
      if (outcome.kind === 'revoked') return revoked('ocsp', outcome.reason);
      if (!outcome.problem.startsWith('unavailable-'))
        return { status: 'unverified', problem: outcome.problem };
      ocspProblem = outcome.problem;
    }
    if (this.options.crlBaseUrl === undefined) return { status: 'unverified', problem: ocspProblem };
    const crl = await this.currentCrl(subject, now);
    if (!crl.ok) return { status: 'unverified', problem: crl.problem };
    const status = crlStatus(crl.crl, subject.serialNumberHex);
    return status.kind === 'good' ? { status: 'good', source: 'crl' } : revoked('crl', status.reason);
  }

  private async currentCrl(
    subject: RevocationSubject,
    now: Date,
  ): Promise<{ ok: true; crl: CheckedCrl } | { ok: false; problem: CrlProblem }> {
    const cached = this.crls.get(subject.issuerFingerprint);
    if (cached && cached.nextUpdate.getTime() >= now.getTime()) return { ok: true, crl: cached };
    let der: Uint8Array;
    try {
      der = await this.crlFetcher(
        `${this.options.crlBaseUrl}/${subject.issuerFingerprint}.crl`,
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
