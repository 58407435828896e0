/**
 * The operator PIN's wrong-try count and lock, kept in a small JSON file beside the PIN's hash
 * (`KIOSK_OPERATOR_PIN_FILE` + `.lock.json`), so killing or restarting the host neither lifts a
 * lock nor resets the count. Only a count and a time: never a digit that was typed.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const LockStateSchema = z.object({
  /** Wrong tries in a row since the last right PIN or the last lock's end. */
  wrong: z.number().int().min(0),
  /** The lock's end (epoch ms), or null while not locked. */
  lockedUntil: z.number().int().nullable(),
});
export type OperatorPinLockState = z.infer<typeof LockStateSchema>;

export interface OperatorPinLockStore {
  read(): OperatorPinLockState;
  /** Returns once the state is on disk (written, fsync'd, renamed into place). */
  write(state: OperatorPinLockState): void;
}

const UNLOCKED: OperatorPinLockState = { wrong: 0, lockedUntil: null };

/** Where the lock lives for a PIN file: beside it. */
export function operatorPinLockPathFor(pinFile: string): string {
  return `${pinFile}.lock.json`;
}

/** In memory only: the development PIN and the tests. */
export function memoryOperatorPinLockStore(): OperatorPinLockStore {
  let state = UNLOCKED;
  return {
    read: () => state,
    write(next) {
      state = next;
    },
  };
}

function writeDurably(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.new`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/**
 * The lock on a file. A missing file is "no wrong tries". A file that exists but cannot be read
 * as a lock fails closed: it counts as a lock that begins at the first read (`lockMs` long), never
 * as "unlocked", so damaging the file cannot buy more guesses.
 */
export function fileOperatorPinLockStore(
  path: string,
  options: { now: () => number; lockMs: number },
): OperatorPinLockStore {
  let state: OperatorPinLockState;
  let text: string | null;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    text = null;
  }
  if (text === null) state = UNLOCKED;
  else {
    let parsed: ReturnType<typeof LockStateSchema.safeParse>;
    try {
      parsed = LockStateSchema.safeParse(JSON.parse(text));
    } catch {
      parsed = LockStateSchema.safeParse(undefined);
    }
    state = parsed.success ? parsed.data : { wrong: 0, lockedUntil: options.now() + options.lockMs };
  }
  return {
    read: () => state,
    write(next) {
      writeDurably(path, JSON.stringify(next));
      state = next;
    },
  };
}
