/**
 * Where the operator PIN's hash comes from: the file `KIOSK_OPERATOR_PIN_FILE` names (JSON, an
 * OperatorPinRecord written by `npm run operator-pin`), or — for kiosk:web and the demo only —
 * the documented development PIN, hashed at start. A PIN from a file keeps its wrong-try count
 * and lock beside it (operator-pin-lock.ts); the development PIN keeps them in memory.
 */
import { readFile } from 'node:fs/promises';
import { hashOperatorPin, OperatorPinRecordSchema, type OperatorPinRecord } from './operator-pin.ts';
import { operatorPinLockPathFor } from './operator-pin-lock.ts';

/** The development operator PIN (kiosk:web, the demo, the tests): never on a store's kiosk. */
export const DEV_OPERATOR_PIN = '246810';

export type OperatorPinLoad =
  /** `lockPath`: where the wrong-try count and lock persist (beside the file), null: in memory. */
  { ok: true; record: OperatorPinRecord; lockPath: string | null } | { ok: false; problem: string };

export async function readOperatorPinFile(path: string): Promise<OperatorPinLoad> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { ok: false, problem: `cannot read ${path}` };
  }
  try {
    const parsed = OperatorPinRecordSchema.safeParse(JSON.parse(text));
    return parsed.success
      ? { ok: true, record: parsed.data, lockPath: operatorPinLockPathFor(path) }
      : { ok: false, problem: `${path} is not a PIN record` };
  } catch {
    return { ok: false, problem: `${path} is not JSON` };
  }
}

/** The record for a development host: the file when one is named, else the development PIN. */
export async function developmentOperatorPin(env: NodeJS.ProcessEnv): Promise<OperatorPinLoad> {
  const path = env['KIOSK_OPERATOR_PIN_FILE'];
  if (path) return readOperatorPinFile(path);
  return { ok: true, record: await hashOperatorPin(DEV_OPERATOR_PIN), lockPath: null };
}
