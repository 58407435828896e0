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
import type { PeerCertificate } from 'node:tls';
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
