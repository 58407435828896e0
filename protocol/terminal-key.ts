/**
 * The public key of a terminal's mutual-TLS certificate, as the centre checks a delivery report's
 * or a heartbeat's signature with it. A kiosk's connection presents the same certificate for every
 * request it carries, so the key is read once per certificate and kept (by the certificate's
 * bytes, the most recent `KEPT` certificates): reading it costs a certificate parse and a key
 * import each time (about 0.6 ms of the centre's thread, 10% of a whole transaction over mutual
 * TLS), checking the signature with it about 0.1 ms.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

/** More than the terminals one centre serves at once; the oldest read is forgotten first. */
const KEPT = 4096;
const keyByCertificate = new Map<string, KeyObject>();

/** The certificate's public key, or undefined when the bytes are no certificate (DER or PEM). */
export function terminalPublicKey(certificate: Uint8Array | string): KeyObject | undefined {
  const bytes = typeof certificate === 'string' ? certificate : Buffer.from(certificate);
  const id = typeof bytes === 'string' ? bytes : bytes.toString('latin1');
  const kept = keyByCertificate.get(id);
  if (kept) return kept;
  let key: KeyObject;
  try {
    key = new X509Certificate(bytes).publicKey;
  } catch {
    return undefined;
  }
  if (keyByCertificate.size >= KEPT) {
    const oldest = keyByCertificate.keys().next();
    if (!oldest.done) keyByCertificate.delete(oldest.value);
  }
  keyByCertificate.set(id, key);
  return key;
}
