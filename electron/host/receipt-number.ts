import { createHash } from 'node:crypto';

/**
 * The 受付番号 a resident can read out on the phone: 8 decimal digits derived from the transaction
 * id (SHA-256, first 32 bits, modulo 10^8). The full id stays in the logs, logged beside this number
 * when the session starts, so support finds the transaction from the 8 digits and the time.
 */
export function receiptNumberOf(transactionId: string): string {
  const digest = createHash('sha256').update(transactionId, 'utf8').digest();
  return String(digest.readUInt32BE(0) % 100_000_000).padStart(8, '0');
}
