/**
 * `npm run operator-pin -- --out FILE`: sets the store operator's PIN. Reads the PIN (6–12
 * digits) twice from stdin — never from the command line, where it would stay in the shell's
 * history — and writes only its scrypt hash (electron/host/operator-pin.ts) to FILE (mode 0600),
 * the file KIOSK_OPERATOR_PIN_FILE names.
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { hashOperatorPin, isOperatorPinShape } from '../electron/host/operator-pin.ts';
import { fail } from './cli-common.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  if (!values.out) fail('usage: npm run operator-pin -- --out FILE (the PIN is read twice from stdin)', 2);
  const lines = createInterface({ input: process.stdin });
  const answers: string[] = [];
  for await (const line of lines) {
    answers.push(line.trim());
    if (answers.length === 2) break;
  }
  lines.close();
  const [pin, again] = answers;
  if (pin === undefined || !isOperatorPinShape(pin)) fail('the operator PIN is 6 to 12 digits', 2);
  if (pin !== again) fail('the two PINs differ', 2);
  const record = await hashOperatorPin(pin);
  await writeFile(values.out, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  console.log(
    `operator PIN hash written to ${values.out} (scrypt N=${record.N} r=${record.r} p=${record.p})`,
  );
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
