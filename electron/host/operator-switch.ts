/**
 * The operator's out-of-service switch, kept in a small JSON file so a kiosk switched off stays off
 * across a restart (and `npm run diagnose` reads the same file). Only the notice and a time.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { OutOfServiceNotice } from '../kiosk-api.ts';

export const OUT_OF_SERVICE_NOTICES: readonly OutOfServiceNotice[] = ['maintenance', 'supplies', 'closed'];

const SwitchSchema = z.object({
  notice: z.enum(['maintenance', 'supplies', 'closed']),
  since: z.string().datetime(),
});
export type OutOfServiceSwitch = z.infer<typeof SwitchSchema>;

export interface OperatorSwitchStore {
  get(): OutOfServiceSwitch | null;
  set(value: OutOfServiceSwitch | null): void;
}

/** Reads the switch file; a missing or unreadable file means in service. */
export function readOperatorSwitch(path: string): OutOfServiceSwitch | null {
  try {
    const parsed = SwitchSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The switch on a file (`path`), or in memory only (undefined: tests). */
export function operatorSwitchStore(path: string | undefined): OperatorSwitchStore {
  let value = path === undefined ? null : readOperatorSwitch(path);
  return {
    get: () => value,
    set(next) {
      value = next;
      if (path === undefined) return;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(`${path}.new`, JSON.stringify(next ?? { inService: true }));
      renameSync(`${path}.new`, path);
    },
  };
}
