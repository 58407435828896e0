import type { CentreRepository } from '../db/repository.ts';
import { japanDateOf } from '../../certificate-templates/wareki.ts';
import { checkedMenu, type PrintabilityCheck } from './printability.ts';
import type { ProvedMenus } from './proved-menus.ts';
import type { RegisterStore } from './register-store.ts';
import { menuContextFor } from './residentContext.ts';

/**
 * Menus proved ahead of the residents: every resident's menu documents built and fitted to their
 * forms for a day before anyone signs in, by the sign-in's own code (menuContextFor, then
 * `checkedMenu`). Each resident's answers are kept with the printed date and the register version
 * read before their registers (proved-menus.ts): a sign-in on that date at that version takes them
 * without building a document; after any register change (the version moves on) or on another
 * day, the sign-in builds and fits its documents as before: the proof can be late, never wrong.
 * The documents' answers also stay in the centre's remembered check, keyed by everything printed
 * (printability-cache.ts), where issue finds the one it builds.
 *
 * It is the work of sign-in moved out of the busy hours: a round proves one day for the residents
 * the centre loaded, one resident at a time, giving way to requests between residents; the centre
 * runs a round for today when it starts and one for each new day just after midnight in Japan,
 * when the service is closed. Nothing of a resident is kept but the answers (no names, no
 * documents: the builders' output is dropped).
 */
export interface MenuProofDeps {
  repository: CentreRepository;
  registers: RegisterStore;
  /** The centre's remembered check: what a round proves, issue finds there. */
  check: PrintabilityCheck;
  /** Where a round keeps each resident's answers, with the date and register version proved at. */
  proved?: ProvedMenus;
  now: () => Date;
  /** Rounds and failures are logged with counts only. */
  log?: (fields: object, message: string) => void;
}

/** What a round did: residents whose menus were proved, those refused a menu, and failures. */
export interface ProofRound {
  /** The Japan date proved (YYYY-MM-DD). */
  day: string;
  proved: number;
  /** Residents the sign-in refuses anyway (moved out, deceased, municipality not taking part). */
  noMenu: number;
  failed: number;
  stopped: boolean;
  ms: number;
}

/** Not printed, and of the forms the contract requires: a proof's documents belong to no one. */
const PROOF_TRANSACTION_ID = '00000000-0000-4000-8000-000000000000';
const PROOF_CERTIFICATE_FINGERPRINT = '0'.repeat(64);

/** Noon of a Japan date: inside every municipality's service hours, so the whole menu is built. */
const noonInJapan = (day: string): Date => new Date(`${day}T12:00:00+09:00`);

/** The first instant of the next Japan date after `at`, plus a minute. */
function nextJapanDayStart(at: Date): Date {
  const midnight = new Date(`${japanDateOf(at)}T00:00:00+09:00`);
  return new Date(midnight.getTime() + 86_400_000 + 60_000);
}

const giveWay = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Proves the menus of `holderIds` for the Japan date `day` (YYYY-MM-DD). */
export async function proveMenus(
  deps: MenuProofDeps,
  holderIds: readonly string[],
  day: string,
  stopped: () => boolean = () => false,
): Promise<ProofRound> {
  const started = performance.now();
  const at = noonInJapan(day);
  const round: ProofRound = { day, proved: 0, noMenu: 0, failed: 0, stopped: false, ms: 0 };
  for (const holderId of holderIds) {
    if (stopped()) {
      round.stopped = true;
      break;
    }
    try {
      // Read before the registers: a change after it leaves this proof under the older version.
      const registerVersion = deps.proved ? await deps.repository.registerVersion() : undefined;
      const context = await menuContextFor(deps.repository, deps.registers, holderId, at, at);
      if (!context.ok) {
        round.noMenu++;
      } else {
        await checkedMenu({
          context: context.value,
          frame: {
            transactionId: PROOF_TRANSACTION_ID,
            certificateFingerprint: PROOF_CERTIFICATE_FINGERPRINT,
            now: at,
          },
          repository: deps.repository,
          registers: deps.registers,
          check: deps.check,
          ...(deps.proved && registerVersion !== undefined
            ? { proofs: { menus: deps.proved, registerVersion } }
            : {}),
        });
        round.proved++;
      }
    } catch {
      // A resident the proof cannot build is checked at sign-in, as without proofs.
      round.failed++;
    }
    await giveWay();
  }
  round.ms = Math.round(performance.now() - started);
  return round;
}

/** The rounds of a running centre: today's at start, each new day's after midnight in Japan. */
export interface MenuProofs {
  /** Today's round, started with the centre. */
  readonly firstRound: Promise<ProofRound>;
  /** Stops the rounds (a running round ends after its current resident). */
  close(): Promise<void>;
}

export function startMenuProofs(deps: MenuProofDeps, holderIds: readonly string[]): MenuProofs {
  let closed = false;
  let running: Promise<ProofRound> = Promise.resolve({
    day: '',
    proved: 0,
    noMenu: 0,
    failed: 0,
    stopped: false,
    ms: 0,
  });
  let timer: NodeJS.Timeout | undefined;
  const round = (day: string): Promise<ProofRound> => {
    running = proveMenus(deps, holderIds, day, () => closed).then(
      (done) => {
        deps.log?.(done, 'menus proved ahead');
        return done;
      },
      // Never rejects: a round that breaks leaves its residents to be checked at sign-in.
      () => {
        const broken = { day, proved: 0, noMenu: 0, failed: holderIds.length, stopped: true, ms: 0 };
        deps.log?.(broken, 'menus not proved ahead');
        return broken;
      },
    );
    return running;
  };
  const scheduleNextDay = (): void => {
    if (closed) return;
    const next = nextJapanDayStart(deps.now());
    timer = setTimeout(
      () => {
        void round(japanDateOf(deps.now())).finally(scheduleNextDay);
      },
      Math.max(0, next.getTime() - deps.now().getTime()),
    );
    timer.unref();
  };
  const firstRound = round(japanDateOf(deps.now()));
  void firstRound.finally(scheduleNextDay);
  return {
    firstRound,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
