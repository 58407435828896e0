/**
 * The centre's TLS server settings: HTTPS with mutual TLS. Only kiosks whose certificate chains
 * to the centre's terminal CA, is within its validity and (when a CRL is given) is not revoked
 * complete the handshake; everyone else is refused by TLS itself.
 */
import type { ServerOptions } from 'node:https';
import type { SecureContextOptions } from 'node:tls';

export interface CentreTlsOptions {
  /** The centre's server certificate chain and key, PEM. */
  certificatePem: string;
  privateKeyPem: string;
  /** The terminal CA(s) whose kiosks may connect, PEM. */
  terminalCaPem: string | string[];
  /** CRL(s) of the terminal CA, PEM: revoked kiosks fail the handshake. */
  terminalCrlPem?: string | string[];
  /**
   * The terminal CA's CRL as a file, followed while the centre runs (`tls/terminalCrl.ts`): re-read
   * on change and every `terminalCrlRefreshMs` (default 5 min); reported when it expires within
   * `terminalCrlWarnBeforeMs` (default 24 h). Takes the place of `terminalCrlPem`.
   */
  terminalCrlFile?: string;
  terminalCrlRefreshMs?: number;
  terminalCrlWarnBeforeMs?: number;
}

/** The parts of the TLS settings a running server can swap (`setSecureContext`). */
export function centreTlsContextOptions(tls: CentreTlsOptions): SecureContextOptions {
  return {
    cert: tls.certificatePem,
    key: tls.privateKeyPem,
    ca: tls.terminalCaPem,
    ...(tls.terminalCrlPem === undefined ? {} : { crl: tls.terminalCrlPem }),
    minVersion: 'TLSv1.2',
  };
}

export function centreTlsServerOptions(tls: CentreTlsOptions): ServerOptions {
  return { ...centreTlsContextOptions(tls), requestCert: true, rejectUnauthorized: true };
}
