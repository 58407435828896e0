/**
 * Which kiosk is on the other end of a mutual-TLS connection. Every kiosk holds a terminal
 * certificate from the centre's terminal CA whose subject names it:
 *
 *   C=JP, O=<store code>, OU=kiosk terminal, CN=<terminal id>
 *
 * where the terminal id is `<store code>-<terminal no>` (protocol's TerminalIdSchema, e.g.
 * `S0001-T01`). The CN must begin with the O, so a store's certificate cannot name another
 * store's terminal.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { TerminalIdSchema } from '../../protocol/api.ts';

export interface TerminalIdentity {
  storeCode: string;
  terminalId: string;
  /** Certificate serial, hex upper case as node reports it (for logs: not personal data). */
  serialNumber: string;
}

export type TerminalIdentityProblem = 'no-certificate' | 'subject-malformed' | 'store-mismatch';

export const TERMINAL_OU = 'kiosk terminal';

function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/** Reads the terminal identity from the client certificate node's TLS layer verified. */
export function terminalIdentityOf(
  peer: Pick<PeerCertificate, 'subject' | 'serialNumber'> | undefined,
): { ok: true; identity: TerminalIdentity } | { ok: false; problem: TerminalIdentityProblem } {
  if (!peer?.subject || !peer.serialNumber) return { ok: false, problem: 'no-certificate' };
  const subject = peer.subject as unknown as Record<string, string | string[] | undefined>;
  const terminalId = single(subject['CN']);
  const storeCode = single(subject['O']);
  if (!terminalId || !storeCode || !TerminalIdSchema.safeParse(terminalId).success)
    return { ok: false, problem: 'subject-malformed' };
  if (!terminalId.startsWith(`${storeCode}-`)) return { ok: false, problem: 'store-mismatch' };
  return { ok: true, identity: { storeCode, terminalId, serialNumber: peer.serialNumber } };
}

export type TerminalIdentityResult =
  | { ok: true; identity: TerminalIdentity; certificateDer: Buffer }
  | { ok: false; problem: TerminalIdentityProblem };

/** The last identity read on each connection, with the DER of the certificate it was read from. */
const identityByConnection = new WeakMap<
  Pick<TLSSocket, 'getPeerX509Certificate'>,
  { der: Buffer; result: TerminalIdentityResult }
>();

/** Connections on which the centre refused TLS renegotiation from their first handshake on. */
const renegotiationRefused = new WeakSet<object>();

/**
 * Refuses TLS renegotiation on a connection the centre accepted (node answers an attempt with a
 * TLS error that drops the connection; OpenSSL 3 already ignores a client's): its client
 * certificate stays the one its handshake proved, so the terminal read from it holds for every
 * request it carries. TLS 1.3 has no renegotiation at all.
 */
export function refuseRenegotiation(socket: Pick<TLSSocket, 'disableRenegotiation'>): void {
  socket.disableRenegotiation();
  renegotiationRefused.add(socket);
}

/**
 * The terminal on a mutual-TLS connection (TLS verified its certificate: chain, validity, CRL)
 * and that certificate's DER. node's `getPeerCertificate()` decodes the whole certificate into
 * an object (names, extensions, three fingerprints) on every call, the same for every request a
 * connection carries; so the identity is read once per connection and certificate. On a
 * connection that refuses renegotiation (`refuseRenegotiation`) the certificate cannot change, and
 * later requests take the identity as read; on any other, each request compares the DER the
 * connection presents now with the one it was read from (a renegotiated connection with another
 * certificate is read afresh).
 */
export function connectionTerminalIdentity(
  socket: Partial<Pick<TLSSocket, 'authorized' | 'getPeerX509Certificate' | 'getPeerCertificate'>>,
): TerminalIdentityResult {
  if (socket.authorized === true && renegotiationRefused.has(socket)) {
    const settled = identityByConnection.get(socket as Pick<TLSSocket, 'getPeerX509Certificate'>);
    if (settled) return settled.result;
  }
  const certificate = socket.authorized === true ? socket.getPeerX509Certificate?.() : undefined;
  if (!certificate || !socket.getPeerX509Certificate || !socket.getPeerCertificate)
    return { ok: false, problem: 'no-certificate' };
  const der = certificate.raw;
  const key = socket as Pick<TLSSocket, 'getPeerX509Certificate'>;
  const known = identityByConnection.get(key);
  if (known?.der.equals(der)) return known.result;
  const read = terminalIdentityOf(socket.getPeerCertificate());
  const result: TerminalIdentityResult = read.ok ? { ...read, certificateDer: der } : read;
  identityByConnection.set(key, { der, result });
  return result;
}
