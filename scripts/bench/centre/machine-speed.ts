/**
 * How fast this machine runs at the moment, as a fixed piece of work timed beside each row of a
 * bench: one RSA-2048 signature (SHA-256) in the bench's own process, the median of a batch. On a
 * shared virtual machine the same code's CPU a transaction moves by half within minutes; a row
 * measured while this figure was high ran on a slower machine, so rows and reports can be set side
 * by side on it.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { percentile } from '../report.ts';

let key: KeyObject | undefined;

/** Median milliseconds of one RSA-2048 signature over `count` signatures made one after another. */
export function rsaSignatureMs(count = 200): number {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const message = Buffer.alloc(32, 7);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const begin = performance.now();
    sign('sha256', message, key);
    times.push(performance.now() - begin);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}
