/**
 * The public key of a terminal's mutual-TLS certificate, as the centre checks a delivery report's
 * or a heartbeat's signature with it. A kiosk's connection presents the same certificate for every
 * request it carries, so the key is read once per certificate and kept (by the certificate's
 * bytes; up to `KEPT` certificates, the first read forgotten first). Read afresh for every report, the certificate's
 * parse and the key's export and import took a tenth of the centre's thread in the load test.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

/** More than the terminals one centre serves at once. */
const KEPT = 4096;
const keyByCertificate = new Map<string, KeyObject>();

/** The certificate's public key, or undefined when the bytes are no certificate (DER or PEM). */
export function terminalPublicKey(certificate: Uint8Array | string): KeyObject | undefined {
  const bytes = typeof certificate === 'string' ? certificate : Buffer.from(certificate);
  const id = typeof bytes === 'string' ? bytes : bytes.toString('latin1'); // the bytes themselves
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
