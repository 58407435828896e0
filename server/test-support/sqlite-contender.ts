/**
 * A child process for the multi-process SQLite test (`server/db/sqlite-processes.test.ts`): opens
 * the centre's database file, waits for "go" on stdin, then races the other processes for the same
 * challenges and transactions, and prints one JSON line with what it got (or the error it hit).
 */
import { createInterface } from 'node:readline';
import { openCentreRepository } from '../db/openRepository.ts';

const [path, card, countText] = process.argv.slice(2);
const count = Number(countText);

const repository = await openCentreRepository({ databasePath: path! });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => {
  const lines = createInterface({ input: process.stdin });
  lines.once('line', () => {
    lines.close();
    resolve();
  });
});
const consumed: number[] = [];
const saved: number[] = [];
const errors: string[] = [];
for (let i = 0; i < count; i++) {
  try {
    const outcome = await repository.consumeChallenge(`c${i}`, 'S0001-T01', `tx-${i}`, 1_000);
    if (outcome.kind === 'consumed') consumed.push(i);
  } catch (error) {
    errors.push((error as { code?: string }).code ?? (error as Error).name);
  }
  try {
    const outcome = await repository.saveSession({
      transactionId: `tx-${i}`,
      terminalId: 'S0001-T01',
      holderId: 'H0001',
      certificateFingerprint: card!,
      caFingerprint: 'c'.repeat(64),
      serialNumberHex: '1',
      authenticatedAt: 1_000,
      expiresAt: 2_000,
    });
    if (outcome.kind === 'saved') saved.push(i);
  } catch (error) {
    errors.push((error as { code?: string }).code ?? (error as Error).name);
  }
}
await repository.close();
process.stdout.write(`${JSON.stringify({ card, consumed, saved, errors })}\n`);
