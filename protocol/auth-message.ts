import { createHash } from 'node:crypto';

const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** The 64-byte message the card's auth key signs: SHA-256(terminalId) ‖ SHA-256(challenge). */
export function authenticationMessage(terminalId: string, challenge: Uint8Array): Buffer {
  const terminalHash = createHash('sha256').update(terminalId, 'utf8').digest();
  const challengeHash = createHash('sha256').update(challenge).digest();
  return Buffer.concat([terminalHash, challengeHash]);
}

/** DER DigestInfo for SHA-256 of `message`, as the card's COMPUTE DIGITAL SIGNATURE takes it. */
export function sha256DigestInfo(message: Uint8Array): Buffer {
  return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(message).digest()]);
}
