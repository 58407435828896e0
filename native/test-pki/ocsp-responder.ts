/**
 * The test JPKI OCSP responder (RFC 6960) and CRL distribution point, over HTTP on loopback.
 *
 * Answers `POST /ocsp` (application/ocsp-request) for the certificates of one or more test CA
 * authorities with a BasicOCSPResponse signed by a delegated responder certificate
 * (id-kp-OCSPSigning, issued by that CA), echoing the request nonce. `GET /crl/<sha256 of the CA
 * certificate>.crl` serves a fresh CRL for the same revocations. Faults can be switched on to
 * exercise every refusal the centre makes (stale, wrong nonce, bad signature, …).
 * Test and demo material only: keys live in memory.
 */
import { createHash, webcrypto } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import * as x509 from './x509.ts';
import { createCrl, type CrlReason } from './crl.ts';
import type { TestCaAuthority } from './test-jpki-ca.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);
pkijs.setEngine('node-webcrypto', new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto }));

export const OCSP_SIGNING_EKU = '1.3.6.1.5.5.7.3.9';
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2';
const OCSP_BASIC_OID = '1.3.6.1.5.5.7.48.1.1';
const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};

export type OcspCertStatus =
  { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: CrlReason } | { status: 'unknown' };

/** Ways to answer wrongly, one at a time, so the centre's checks can be tested one by one. */
export const OCSP_FAULTS = [
  'none',
  'omit-nonce',
  'wrong-nonce',
  'bad-signature',
  'sha1-signature',
  'stale',
  'future',
  'next-update-past',
  'no-next-update',
  'wrong-serial',
  'wrong-issuer',
  'no-certs',
  'ca-signed',
  'try-later',
  'internal-error',
  'unauthorized',
  'garbage',
  'http-500',
  'slow',
] as const;
export type OcspFault = (typeof OCSP_FAULTS)[number];

/** A delegated OCSP signer: certificate (EKU id-kp-OCSPSigning unless told otherwise) + key. */
export interface OcspResponderIdentity {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

export interface ResponderCertificateOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** false: leave out id-kp-OCSPSigning (a certificate that must not be accepted as a responder). */
  ocspSigningEku?: boolean;
}

/** Issues a responder certificate under `ca` (RSA-2048, sha256WithRSAEncryption). */
export async function createOcspResponderIdentity(
  ca: TestCaAuthority,
  opts: ResponderCertificateOptions = {},
): Promise<OcspResponderIdentity> {
  const keys = (await crypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notBefore = opts.notBefore ?? new Date('2020-01-01T00:00:00Z');
  const notAfter = opts.notAfter ?? new Date('2045-01-01T00:00:00Z');
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject: `C=JP, O=JPKI-TEST, CN=JPKI OCSP Responder ${notBefore.getUTCFullYear()}`,
    issuer: ca.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ...(opts.ocspSigningEku === false
        ? [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth], false)]
        : [new x509.ExtendedKeyUsageExtension([OCSP_SIGNING_EKU], false)]),
      // id-pkix-ocsp-nocheck: the responder's own certificate is not checked for revocation.
      new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, new Uint8Array([0x05, 0x00]).buffer),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate, false, crypto),
    ],
  });
  return { certificate, privateKey: keys.privateKey };
}

/** One CA the responder answers for. */
export interface OcspIssuer {
  authority: TestCaAuthority;
  /** Delegated signer; when absent the CA signs its answers itself. */
  responder?: OcspResponderIdentity;
}

export interface OcspResponderOptions {
  issuers: readonly OcspIssuer[];
  /** The responder's clock (tests align it with the centre's mocked clock). */
  now?: () => Date;
  /** nextUpdate − thisUpdate of every answer; default 10 minutes. */
  validityMs?: number;
  /** Answer for serials never revoked; default good. */
  defaultStatus?: 'good' | 'unknown';
  /** Delay of the `slow` fault; default 6 s (beyond the centre's 5 s timeout). */
  slowMs?: number;
}

function sha256Hex(bytes: ArrayBuffer | Uint8Array): string {
  return createHash('sha256')
    .update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .digest('hex');
}

function normaliseSerial(hex: string): string {
  return (
    hex
      .toLowerCase()
      .replace(/^0x/, '')
      .replace(/^0+(?=.)/, '') || '0'
  );
}

interface IssuerState {
  issuer: OcspIssuer;
  certificate: pkijs.Certificate;
  fingerprint: string;
  keyHashes: Map<string, string>; // hash algorithm OID → hex hash of the issuer key
  revoked: Map<string, OcspCertStatus>;
}

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

function issuerState(issuer: OcspIssuer): IssuerState {
  const raw = issuer.authority.certificate.rawData;
  const certificate = pkijs.Certificate.fromBER(raw);
  const key = certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  const keyHashes = new Map<string, string>();
  for (const [oid, name] of Object.entries(HASHES)) {
    keyHashes.set(oid, createHash(name).update(key).digest('hex'));
  }
  return { issuer, certificate, fingerprint: sha256Hex(raw), keyHashes, revoked: new Map() };
}

function ocspResponse(status: number, basic?: pkijs.BasicOCSPResponse): Uint8Array {
  const response = new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: status }) });
  if (basic) {
    response.responseBytes = new pkijs.ResponseBytes({
      responseType: OCSP_BASIC_OID,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    });
  }
  return new Uint8Array(response.toSchema().toBER(false));
}

function certStatusValue(status: OcspCertStatus): asn1js.BaseBlock {
  switch (status.status) {
    case 'good':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } });
    case 'unknown':
      return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 2 } });
    case 'revoked': {
      const value: asn1js.BaseBlock[] = [new asn1js.GeneralizedTime({ valueDate: status.revokedAt })];
      if (status.reason !== undefined) {
        value.push(
          new asn1js.Constructed({
            idBlock: { tagClass: 3, tagNumber: 0 },
            value: [new asn1js.Enumerated({ value: status.reason })],
          }),
        );
      }
      return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value });
    }
  }
}

let rogueSigner: Promise<OcspResponderIdentity> | undefined;
function rogueIdentity(): Promise<OcspResponderIdentity> {
  rogueSigner ??= (async () => {
    const keys = (await crypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify'])) as CryptoKeyPair;
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'C=JP, CN=Rogue OCSP',
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2045-01-01'),
      keys,
      signingAlgorithm: RSA_SHA256,
    });
    return { certificate, privateKey: keys.privateKey };
  })();
  return rogueSigner;
}

async function signerKey(identity: OcspResponderIdentity, hash: 'SHA-1' | 'SHA-256'): Promise<CryptoKey> {
  if (hash === 'SHA-256') return identity.privateKey;
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', identity.privateKey);
  return crypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['sign']);
}

/** The responder's state and its pure request → response function (usable without HTTP). */
export class TestOcspResponder {
  private readonly issuers: IssuerState[];
  fault: OcspFault = 'none';
  private readonly now: () => Date;
  private readonly validityMs: number;
  private readonly defaultStatus: 'good' | 'unknown';
  readonly slowMs: number;

  constructor(opts: OcspResponderOptions) {
    this.issuers = opts.issuers.map(issuerState);
    this.now = opts.now ?? (() => new Date());
    this.validityMs = opts.validityMs ?? 10 * 60_000;
    this.defaultStatus = opts.defaultStatus ?? 'good';
    this.slowMs = opts.slowMs ?? 6_000;
  }

  private stateFor(authority: TestCaAuthority): IssuerState {
    const fingerprint = sha256Hex(authority.certificate.rawData);
    const state = this.issuers.find((s) => s.fingerprint === fingerprint);
    if (!state) throw new RangeError('this responder does not answer for that CA');
    return state;
  }

  /** Sets what OCSP (and the CRL) say about one serial of one CA. */
  setStatus(authority: TestCaAuthority, serialNumberHex: string, status: OcspCertStatus): void {
    const state = this.stateFor(authority);
    const serial = normaliseSerial(serialNumberHex);
    if (status.status === 'good') state.revoked.delete(serial);
    else state.revoked.set(serial, status);
  }

  revoke(
    authority: TestCaAuthority,
    serialNumberHex: string,
    reason?: CrlReason,
    revokedAt = this.now(),
  ): void {
    this.setStatus(authority, serialNumberHex, {
      status: 'revoked',
      revokedAt,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  /** Replaces the delegated signer of one CA (e.g. with one lacking the OCSP-signing EKU). */
  setResponder(authority: TestCaAuthority, responder: OcspResponderIdentity | undefined): void {
    const state = this.stateFor(authority);
    if (responder) state.issuer = { ...state.issuer, responder };
    else state.issuer = { authority: state.issuer.authority };
  }

  /** A CRL for one CA (by SHA-256 of its certificate), thisUpdate now, same validity as OCSP answers. */
  async crl(caFingerprint: string): Promise<Uint8Array | undefined> {
    const state = this.issuers.find((s) => s.fingerprint === caFingerprint);
    if (!state) return undefined;
    const now = this.now();
    return createCrl(state.issuer.authority, {
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + this.validityMs),
      entries: [...state.revoked.entries()].flatMap(([serialNumberHex, status]) =>
        status.status === 'revoked'
          ? [
              {
                serialNumberHex,
                revokedAt: status.revokedAt,
                ...(status.reason === undefined ? {} : { reason: status.reason }),
              },
            ]
          : [],
      ),
    });
  }

  /** Answers one DER OCSPRequest (RFC 6960 §4.2). Never throws: bad input gets malformedRequest. */
  async answer(requestDer: Uint8Array): Promise<Uint8Array> {
    switch (this.fault) {
      case 'try-later':
        return ocspResponse(3);
      case 'internal-error':
        return ocspResponse(2);
      case 'unauthorized':
        return ocspResponse(6);
      case 'garbage':
        return new Uint8Array(Buffer.from('not an OCSP response'));
      default:
        break;
    }
    let request: pkijs.OCSPRequest;
    try {
      request = pkijs.OCSPRequest.fromBER(Uint8Array.from(requestDer).buffer);
    } catch {
      return ocspResponse(1);
    }
    const single = request.tbsRequest.requestList[0];
    if (!single || request.tbsRequest.requestList.length !== 1) return ocspResponse(1);
    const certId = single.reqCert;
    const hashOid = certId.hashAlgorithm.algorithmId;
    const keyHash = Buffer.from(certId.issuerKeyHash.valueBlock.valueHexView).toString('hex');
    const state = this.issuers.find((s) => s.keyHashes.get(hashOid) === keyHash);
    if (!state) return ocspResponse(6); // not a CA this responder serves

    const serial = normaliseSerial(Buffer.from(certId.serialNumber.valueBlock.valueHexView).toString('hex'));
    const status: OcspCertStatus = state.revoked.get(serial) ?? { status: this.defaultStatus };
    const now = this.now();
    let thisUpdate = now;
    if (this.fault === 'stale') thisUpdate = new Date(now.getTime() - 60 * 60_000);
    if (this.fault === 'future') thisUpdate = new Date(now.getTime() + 60 * 60_000);
    let nextUpdate: Date | undefined = new Date(thisUpdate.getTime() + this.validityMs);
    if (this.fault === 'next-update-past') {
      thisUpdate = new Date(now.getTime() - 60_000);
      nextUpdate = new Date(now.getTime() - 30_000);
    }
    if (this.fault === 'no-next-update') nextUpdate = undefined;

    const answeredId = new pkijs.CertID({
      hashAlgorithm: certId.hashAlgorithm,
      issuerNameHash: certId.issuerNameHash,
      issuerKeyHash:
        this.fault === 'wrong-issuer'
          ? new asn1js.OctetString({
              valueHex: new Uint8Array(certId.issuerKeyHash.valueBlock.valueHexView.length).buffer,
            })
          : certId.issuerKeyHash,
      serialNumber:
        this.fault === 'wrong-serial' ? new asn1js.Integer({ value: 0x7eadbeef }) : certId.serialNumber,
    });

    const signer: OcspResponderIdentity =
      this.fault === 'ca-signed' || !state.issuer.responder
        ? { certificate: state.issuer.authority.certificate, privateKey: state.issuer.authority.privateKey }
        : state.issuer.responder;
    const signerCert = pkijs.Certificate.fromBER(signer.certificate.rawData);

    const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OCSP_NONCE_OID);
    const responseExtensions: pkijs.Extension[] = [];
    if (nonce && this.fault !== 'omit-nonce') {
      const value =
        this.fault === 'wrong-nonce'
          ? new asn1js.OctetString({ valueHex: new Uint8Array(32).fill(0x5a).buffer }).toBER(false)
          : nonce.extnValue.valueBlock.valueHexView.slice().buffer;
      responseExtensions.push(new pkijs.Extension({ extnID: OCSP_NONCE_OID, extnValue: value }));
    }

    const basic = new pkijs.BasicOCSPResponse({
      tbsResponseData: new pkijs.ResponseData({
        responderID: signerCert.subject,
        producedAt: now,
        responses: [
          new pkijs.SingleResponse({
            certID: answeredId,
            certStatus: certStatusValue(status),
            thisUpdate,
            ...(nextUpdate ? { nextUpdate } : {}),
          }),
        ],
        ...(responseExtensions.length ? { responseExtensions } : {}),
      }),
      ...(this.fault === 'no-certs' || this.fault === 'ca-signed' ? {} : { certs: [signerCert] }),
    });
    const key =
      this.fault === 'bad-signature'
        ? (await rogueIdentity()).privateKey
        : await signerKey(signer, this.fault === 'sha1-signature' ? 'SHA-1' : 'SHA-256');
    await basic.sign(key, this.fault === 'sha1-signature' ? 'SHA-1' : 'SHA-256');
    return ocspResponse(0, basic);
  }
}

export interface RunningOcspResponder {
  /** e.g. http://127.0.0.1:PORT/ocsp */
  ocspUrl: string;
  /** CRL of one CA: `${crlBaseUrl}/<sha256 hex of the CA certificate>.crl` */
  crlBaseUrl: string;
  responder: TestOcspResponder;
  /** Requests answered so far (OCSP and CRL), for tests that check the fallback order. */
  requests: { ocsp: number; crl: number };
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Starts the responder on loopback (port 0 = ephemeral). */
export async function startOcspResponder(
  opts: OcspResponderOptions & { host?: string; port?: number },
): Promise<RunningOcspResponder> {
  const responder = new TestOcspResponder(opts);
  const requests = { ocsp: 0, crl: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      if (request.method === 'POST' && path === '/ocsp') {
        requests.ocsp += 1;
        const body = await readBody(request, 16 * 1024);
        if (responder.fault === 'http-500') {
          response.writeHead(500).end();
          return;
        }
        if (responder.fault === 'slow') {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, responder.slowMs);
            timers.add(timer);
          });
        }
        const answer = await responder.answer(body ?? new Uint8Array());
        response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(answer);
        return;
      }
      const crl = /^\/crl\/([0-9a-f]{64})\.crl$/.exec(path);
      if (request.method === 'GET' && crl?.[1]) {
        requests.crl += 1;
        const der = await responder.crl(crl[1]);
        if (!der) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(der);
        return;
      }
      response.writeHead(404).end();
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    ocspUrl: `${base}/ocsp`,
    crlBaseUrl: `${base}/crl`,
    responder,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
