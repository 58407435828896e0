/**
 * The dev world's OCSP responder and CRL distribution point, over HTTP on loopback: what J-LIS's
 * responder is to the centre, answering live (a fresh signature over this request's nonce,
 * thisUpdate now) and cheaply enough to stand beside a centre under load (ocsp-answer.ts writes
 * the answers). `POST /ocsp` answers one certificate of one of the CAs; `GET /crl/<sha256 of the
 * CA certificate>.crl` serves a fresh CRL of the same revocations.
 *
 * Only right answers: the faults the centre must refuse are native/test-pki/ocsp-responder.ts's.
 * Test and demo material only: the CAs' keys live in memory.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCrl } from '../../native/test-pki/crl.ts';
import type { TestCaAuthority } from '../../native/test-pki/test-jpki-ca.ts';
import {
  caForQuestion,
  normaliseSerialHex,
  ocspSigningCa,
  ocspStatusOnly,
  OcspResponseStatus,
  readOcspQuestion,
  signedOcspAnswer,
  type CertStatus,
  type OcspSigningCa,
  type RevocationReason,
} from './ocsp-answer.ts';

const MAX_REQUEST_BYTES = 16 * 1024;

interface ServedCa {
  authority: TestCaAuthority;
  ca: OcspSigningCa;
  /** SHA-256 hex of the CA certificate: its CRL's name. */
  fingerprint: string;
  /** Normalised serial hex → revocation. */
  revoked: Map<string, Extract<CertStatus, { status: 'revoked' }>>;
}

export interface LiveOcspResponderOptions {
  authorities: readonly TestCaAuthority[];
  /** The responder's clock. */
  now?: () => Date;
  /** nextUpdate − thisUpdate of every answer and CRL; default 10 minutes. */
  validityMs?: number;
}

export interface LiveOcspResponder {
  /** e.g. http://127.0.0.1:PORT/ocsp */
  ocspUrl: string;
  /** CRL of one CA: `${crlBaseUrl}/<sha256 hex of the CA certificate>.crl` */
  crlBaseUrl: string;
  /** Revokes one serial of one of the CAs (from now on in both OCSP answers and CRLs). */
  revoke(
    authority: TestCaAuthority,
    serialNumberHex: string,
    reason?: RevocationReason,
    revokedAt?: Date,
  ): void;
  close(): Promise<void>;
}

/** The whole answer to one OCSP request body. */
function answer(cas: readonly ServedCa[], body: Uint8Array, now: Date, validityMs: number): Uint8Array {
  const question = readOcspQuestion(body);
  if (!question) return ocspStatusOnly(OcspResponseStatus.malformedRequest);
  const served = caForQuestion(cas, question);
  if (!served) return ocspStatusOnly(OcspResponseStatus.unauthorized);
  const status = served.revoked.get(question.serialNumberHex) ?? { status: 'good' };
  return signedOcspAnswer(served.ca, question, status, {
    producedAt: now,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + validityMs),
  });
}

async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

async function crlOf(served: ServedCa, now: Date, validityMs: number): Promise<Uint8Array> {
  return createCrl(served.authority, {
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + validityMs),
    entries: [...served.revoked.entries()].map(([serialNumberHex, status]) => ({
      serialNumberHex,
      revokedAt: status.revokedAt,
      ...(status.reason === undefined ? {} : { reason: status.reason }),
    })),
  });
}

/** Starts the responder on 127.0.0.1 (an ephemeral port). */
export async function startLiveOcspResponder(opts: LiveOcspResponderOptions): Promise<LiveOcspResponder> {
  const now = opts.now ?? (() => new Date());
  const validityMs = opts.validityMs ?? 10 * 60_000;
  const cas: ServedCa[] = opts.authorities.map((authority) => {
    const der = new Uint8Array(authority.certificate.rawData);
    return {
      authority,
      ca: ocspSigningCa(der, authority.privateKey),
      fingerprint: createHash('sha256').update(der).digest('hex'),
      revoked: new Map(),
    };
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (request.method === 'POST' && path === '/ocsp') {
      const body = await readBody(request);
      const der = answer(cas, body ?? new Uint8Array(), now(), validityMs);
      response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(der);
      return;
    }
    const crl = /^\/crl\/([0-9a-f]{64})\.crl$/.exec(path);
    const served = request.method === 'GET' && crl ? cas.find((c) => c.fingerprint === crl[1]) : undefined;
    if (!served) {
      response.writeHead(404).end();
      return;
    }
    const der = await crlOf(served, now(), validityMs);
    response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(der);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ocspUrl: `${base}/ocsp`,
    crlBaseUrl: `${base}/crl`,
    revoke(authority, serialNumberHex, reason, revokedAt = now()) {
      const der = new Uint8Array(authority.certificate.rawData);
      const fingerprint = createHash('sha256').update(der).digest('hex');
      const served = cas.find((c) => c.fingerprint === fingerprint);
      if (!served) throw new RangeError('this responder does not answer for that CA');
      served.revoked.set(normaliseSerialHex(serialNumberHex), {
        status: 'revoked',
        revokedAt,
        ...(reason === undefined ? {} : { reason }),
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
