/**
 * Where the operator PIN's hash comes from: the file `KIOSK_OPERATOR_PIN_FILE` names (JSON, an
 * OperatorPinRecord written by `npm run operator-pin`), or — for kiosk:web and the demo only —
 * the documented development PIN, hashed at start.
 */
import { readFile } from 'node:fs/promises';
import { hashOperatorPin, OperatorPinRecordSchema, type OperatorPinRecord } from './operator-pin.ts';

/** The development operator PIN (kiosk:web, the demo, the tests): never on a store's kiosk. */
export const DEV_OPERATOR_PIN = '246810';

export type OperatorPinLoad = { ok: true; record: OperatorPinRecord } | { ok: false; problem: string };

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
      ? { ok: true, record: parsed.data }
      : { ok: false, problem: `${path} is not a PIN record` };
  } catch {
    return { ok: false, problem: `${path} is not JSON` };
  }
}

/** The record for a development host: the file when one is named, else the development PIN. */
export async function developmentOperatorPin(env: NodeJS.ProcessEnv): Promise<OperatorPinLoad> {
  const path = env['KIOSK_OPERATOR_PIN_FILE'];
  if (path) return readOperatorPinFile(path);
  return { ok: true, record: await hashOperatorPin(DEV_OPERATOR_PIN) };
}
