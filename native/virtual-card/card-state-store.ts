/**
 * The virtual card's non-volatile memory: PIN tries left and changed PINs, one JSON file per
 * holder under a directory the caller gives. Written atomically (temporary file, fsync, rename)
 * so a lock survives a crash or a restart of the card process. A changed PIN is stored as a
 * salted scrypt hash, never as the PIN.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * PINs with a counter: JPKI-AP's 利用者証明用 (`auth`) and 署名用 (`signing`), 券面入力補助AP's
 * 4-digit PIN (`assist`), 券面AP's 照合番号A and B (`collationA`, `collationB`).
 */
export type PinSlot = 'auth' | 'signing' | 'assist' | 'collationA' | 'collationB';
export const PIN_SLOTS: readonly PinSlot[] = ['auth', 'signing', 'assist', 'collationA', 'collationB'];

export interface PinState {
  triesLeft: number;
  /** Present once the holder changed the PIN (CHANGE REFERENCE DATA). */
  changed?: { salt: string; hash: string };
}

export type CardState = Record<PinSlot, PinState>;

const PinStateSchema = z.object({
  triesLeft: z.number().int().min(0).max(15),
  changed: z.object({ salt: z.string(), hash: z.string() }).optional(),
});
const StateFileSchema = z.object({
  format: z.literal('virtual-card-state/1'),
  auth: PinStateSchema,
  signing: PinStateSchema,
  // added later: files written before have none of these (factory state for them)
  assist: PinStateSchema.optional(),
  collationA: PinStateSchema.optional(),
  collationB: PinStateSchema.optional(),
});

// Low cost on purpose: a test card, and the card answers VERIFY synchronously.
const SCRYPT = { N: 1024, r: 8, p: 1 } as const;

export function hashPin(pin: Uint8Array, salt: Uint8Array = randomBytes(16)): { salt: string; hash: string } {
  const hash = scryptSync(pin, salt, 32, SCRYPT);
  return { salt: Buffer.from(salt).toString('base64'), hash: hash.toString('base64') };
}

export function pinMatchesHash(pin: Uint8Array, stored: { salt: string; hash: string }): boolean {
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(stored.salt, 'base64'), 32, SCRYPT);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export class CardStateStore {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  pathFor(holderId: string): string {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(holderId) || holderId.startsWith('.'))
      throw new RangeError('invalid holderId');
    return join(this.dir, `${holderId}.state.json`);
  }

  /** The stored state, or the factory state (full tries) when none exists or the file is unreadable. */
  load(holderId: string, initial: CardState): CardState {
    let text: string;
    try {
      text = readFileSync(this.pathFor(holderId), 'utf8');
    } catch {
      return structuredClone(initial);
    }
    try {
      const parsed = StateFileSchema.parse(JSON.parse(text));
      const state = structuredClone(initial);
      for (const slot of PIN_SLOTS) {
        const stored = parsed[slot];
        if (stored) state[slot] = stored;
      }
      return state;
    } catch {
      // A corrupt state file must not unlock a card: fail closed, all PINs locked.
      return Object.fromEntries(PIN_SLOTS.map((s) => [s, { triesLeft: 0 }])) as CardState;
    }
  }

  save(holderId: string, state: CardState): void {
    mkdirSync(this.dir, { recursive: true });
    const path = this.pathFor(holderId);
    const tmp = `${path}.${process.pid}.tmp`;
    const body = JSON.stringify({ format: 'virtual-card-state/1', ...state }, null, 2) + '\n';
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, body);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  }

  /** Forgets the holder's state (factory PINs, full tries). For tests. */
  reset(holderId: string): void {
    rmSync(this.pathFor(holderId), { force: true });
  }
}
