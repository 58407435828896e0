/**
 * The centre's TLS server settings: HTTPS with mutual TLS. Only kiosks whose certificate chains
 * to the centre's terminal CA, is within its validity and (when a CRL is given) is not revoked
 * complete the handshake; everyone else is refused by TLS itself.
 */
import type { ServerOptions } from 'node:https';

export interface CentreTlsOptions {
  /** The centre's server certificate chain and key, PEM. */
  certificatePem: string;
  privateKeyPem: string;
  /** The terminal CA(s) whose kiosks may connect, PEM. */
  terminalCaPem: string | string[];
  /** CRL(s) of the terminal CA, PEM: revoked kiosks fail the handshake. */
  terminalCrlPem?: string | string[];
}

export function centreTlsServerOptions(tls: CentreTlsOptions): ServerOptions {
  return {
    cert: tls.certificatePem,
    key: tls.privateKeyPem,
    ca: tls.terminalCaPem,
    ...(tls.terminalCrlPem === undefined ? {} : { crl: tls.terminalCrlPem }),
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}
