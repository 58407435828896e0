/**
 * The virtual My Number Card: answers the JPKI application's APDUs the way the real card does
 * (see shared/reference/jpki-card.md). Synchronous: one APDU in, one response out.
 *
 * Security state: a verified PIN lasts until power off (a warm reset keeps it, like the real
 * card); selecting the JPKI AID again drops it. PIN counters and changed PINs persist in a
 * CardStateStore, so a locked PIN stays locked across restarts of the card process.
 */
import { constants, createPrivateKey, privateEncrypt, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeResponse, parseCommand, SW, swTriesLeft } from '../apdu.ts';
import type { CommandApdu } from '../apdu.ts';
import {
  AUTH_PIN_TRIES,
  JPKI_AID,
  JpkiEf,
  KENKAKU_NYURYOKU_HOJO_AID,
  KENMEN_AID,
  MY_NUMBER_CARD_ATR,
  SIGNING_PIN_TRIES,
  TOKEN_LABEL_LENGTH,
} from '../jpki/jpki-files.ts';
import {
  CHALLENGE_LENGTH,
  INS_RESET_RETRY_COUNTER,
  openPinResetCommand,
  PIN_RESET_CLA,
  sealPinResetResponse,
} from '../../protocol/secure-messaging.ts';
import { assistBasicInfoFile, COLLATION_B_PATTERN, MY_NUMBER_PATTERN, myNumberFile } from './card-face.ts';
import { hashPin, pinMatchesHash } from './card-state-store.ts';
import type { CardState, CardStateStore, PinSlot } from './card-state-store.ts';
import { AUTH_PIN_PATTERN, SIGNING_PIN_PATTERN } from './personalisation.ts';
import type { CardPersonalisation } from './personalisation.ts';

type CardFile =
  /** `readRequires`: readable once any of these PINs is verified. */
  | { kind: 'binary'; data: Uint8Array; readRequires?: readonly PinSlot[] }
  /** `modulusBytes`: the RSA key's size, read once when the key is imported. */
  | { kind: 'key'; slot: PinSlot; key: KeyObject; modulusBytes: number }
  | { kind: 'pin'; slot: PinSlot };

type AppName = 'jpki' | 'assist' | 'kenmen';

/** Tries per PIN. 照合番号A/B: 10 (ours; not in the public sources). */
export const MAX_TRIES: Record<PinSlot, number> = {
  auth: AUTH_PIN_TRIES,
  signing: SIGNING_PIN_TRIES,
  assist: 3,
  collationA: 10,
  collationB: 10,
};
const PIN_PATTERN: Record<PinSlot, RegExp> = {
  auth: AUTH_PIN_PATTERN,
  signing: SIGNING_PIN_PATTERN,
  assist: AUTH_PIN_PATTERN,
  collationA: MY_NUMBER_PATTERN,
  collationB: COLLATION_B_PATTERN,
};

/** 券面入力補助AP files. */
export const AssistEf = { MY_NUMBER: 0x0001, BASIC_INFO: 0x0002, PIN: 0x0011 } as const;
/** 券面AP files: EF 0002 and the 照合番号 key references. */
export const KenmenEf = { FACE: 0x0002, COLLATION_B: 0x0012, COLLATION_A: 0x0013 } as const;

const INS = {
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  SIGN: 0x2a,
  GET_CHALLENGE: 0x84,
} as const;

const noVerifiedPins = (): Record<PinSlot, boolean> => ({
  auth: false,
  signing: false,
  assist: false,
  collationA: false,
  collationB: false,
});

export interface VirtualCardOptions {
  personalisation: CardPersonalisation;
  /** Where PIN counters persist. Without one, state lives only as long as this object. */
  stateStore?: CardStateStore;
  /** Defaults to `3B E0 00 FF 81 31 FE 45 14`. */
  atr?: Uint8Array;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

function tokenInfo(label: string): Uint8Array {
  const out = new Uint8Array(TOKEN_LABEL_LENGTH).fill(0x20);
  out.set(Buffer.from(label, 'ascii').subarray(0, TOKEN_LABEL_LENGTH));
  return out;
}

export class VirtualMyNumberCard {
  readonly atr: Uint8Array;
  readonly holderId: string;
  readonly #apps: ReadonlyMap<AppName, { aid: Uint8Array; files: ReadonlyMap<number, CardFile> }>;
  readonly #factoryPins: Partial<Record<PinSlot, Uint8Array>>;
  readonly #pinResetKey: Uint8Array | null;
  readonly #store: CardStateStore | undefined;
  #state: CardState;
  #powered = false;
  #app: AppName | null = null;
  #currentEf: number | null = null;
  #verified: Record<PinSlot, boolean> = noVerifiedPins();
  #challenge: Uint8Array | null = null;
  #commands = 0;

  constructor(opts: VirtualCardOptions) {
    const p = opts.personalisation;
    this.atr = opts.atr ?? MY_NUMBER_CARD_ATR;
    this.holderId = p.holderId;
    this.#store = opts.stateStore;
    const ascii = (v: string): Uint8Array => Uint8Array.from(Buffer.from(v, 'ascii'));
    this.#factoryPins = {
      auth: ascii(p.authPin),
      signing: ascii(p.signingPin),
      ...(p.face
        ? {
            assist: ascii(p.face.assistPin),
            collationA: ascii(p.face.myNumber),
            collationB: ascii(p.face.collationB),
          }
        : {}),
    };
    this.#pinResetKey = p.pinResetKey ? Uint8Array.from(p.pinResetKey) : null;
    const keyFile = (slot: PinSlot, der: Uint8Array): CardFile => {
      const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
      return {
        kind: 'key',
        slot,
        key,
        modulusBytes: Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8),
      };
    };
    const jpkiFiles = new Map<number, CardFile>([
      [JpkiEf.TOKEN_INFO, { kind: 'binary', data: tokenInfo(p.tokenLabel) }],
      [JpkiEf.CERTIFICATE_PRESENCE, { kind: 'binary', data: Uint8Array.from([0x8f, 0x8f, 0x00]) }],
      [JpkiEf.AUTH_CERTIFICATE, { kind: 'binary', data: p.authCertificate }],
      [JpkiEf.AUTH_CA_CERTIFICATE, { kind: 'binary', data: p.authCaCertificate }],
      [JpkiEf.AUTH_KEY, keyFile('auth', p.authPrivateKeyPkcs8)],
      [JpkiEf.AUTH_PIN, { kind: 'pin', slot: 'auth' }],
      [JpkiEf.SIGNING_CERTIFICATE, { kind: 'binary', data: p.signingCertificate, readRequires: ['signing'] }],
      [JpkiEf.SIGNING_CA_CERTIFICATE, { kind: 'binary', data: p.signingCaCertificate }],
      [JpkiEf.SIGNING_KEY, keyFile('signing', p.signingPrivateKeyPkcs8)],
      [JpkiEf.SIGNING_PIN, { kind: 'pin', slot: 'signing' }],
    ]);
    const apps = new Map<AppName, { aid: Uint8Array; files: ReadonlyMap<number, CardFile> }>([
      ['jpki', { aid: JPKI_AID, files: jpkiFiles }],
    ]);
    if (p.face) {
      const face = p.face;
      apps.set('assist', {
        aid: KENKAKU_NYURYOKU_HOJO_AID,
        files: new Map<number, CardFile>([
          [
            AssistEf.MY_NUMBER,
            { kind: 'binary', data: myNumberFile(face.myNumber), readRequires: ['assist'] },
          ],
          [
            AssistEf.BASIC_INFO,
            { kind: 'binary', data: assistBasicInfoFile(face), readRequires: ['assist'] },
          ],
          [AssistEf.PIN, { kind: 'pin', slot: 'assist' }],
        ]),
      });
      apps.set('kenmen', {
        aid: KENMEN_AID,
        files: new Map<number, CardFile>([
          [
            KenmenEf.FACE,
            { kind: 'binary', data: face.kenmenFile, readRequires: ['collationA', 'collationB'] },
          ],
          [KenmenEf.COLLATION_A, { kind: 'pin', slot: 'collationA' }],
          [KenmenEf.COLLATION_B, { kind: 'pin', slot: 'collationB' }],
        ]),
      });
    }
    this.#apps = apps;
    this.#state = this.#loadState();
  }

  get powered(): boolean {
    return this.#powered;
  }

  /** APDUs processed since construction. */
  get commandCount(): number {
    return this.#commands;
  }

  /** Tries left per PIN, as persisted. */
  triesLeft(slot: PinSlot): number {
    return this.#state[slot].triesLeft;
  }

  powerOn(): void {
    if (!this.#powered) this.#clearVolatile();
    this.#powered = true;
  }

  /** Leaving the field: every volatile state (selection, verified PINs) is gone. */
  powerOff(): void {
    this.#powered = false;
    this.#clearVolatile();
  }

  /** Warm reset: selection is lost, a verified PIN is NOT (as on the real card). */
  warmReset(): void {
    this.#powered = true;
    this.#app = null;
    this.#currentEf = null;
    this.#challenge = null;
  }

  /** Factory state: full tries, personalisation PINs. For tests. */
  resetState(): void {
    this.#store?.reset(this.holderId);
    this.#state = this.#initialState();
    this.#clearVolatile();
  }

  /** Processes one command APDU. Throws if the card is not powered (a reader bug, not a card condition). */
  transmit(apdu: Uint8Array): Uint8Array {
    if (!this.#powered) throw new Error('virtual card: APDU while unpowered');
    this.#commands += 1;
    // A challenge is good for the one command that follows it, whatever that command is.
    const challenge = this.#challenge;
    this.#challenge = null;
    const cmd = parseCommand(apdu);
    if ('kind' in cmd) return encodeResponse(SW.WRONG_LENGTH);
    if (cmd.cla === PIN_RESET_CLA && cmd.ins === INS_RESET_RETRY_COUNTER)
      return this.#securedReset(cmd, challenge);
    if (cmd.cla === PIN_RESET_CLA) return encodeResponse(SW.INS_NOT_SUPPORTED);
    if (cmd.cla === 0x80 && cmd.ins === INS.SIGN) return this.#sign(cmd);
    if (cmd.cla === 0x80) return encodeResponse(SW.INS_NOT_SUPPORTED);
    if (cmd.cla !== 0x00) return encodeResponse(SW.CLA_NOT_SUPPORTED);
    switch (cmd.ins) {
      case INS.SELECT:
        return this.#select(cmd);
      case INS.READ_BINARY:
        return this.#readBinary(cmd);
      case INS.VERIFY:
        return this.#verify(cmd);
      case INS.CHANGE_REFERENCE_DATA:
        return this.#changeReferenceData(cmd);
      case INS.GET_CHALLENGE:
        return this.#getChallenge(cmd);
      case INS_RESET_RETRY_COUNTER:
        // a reset is the centre's: only the secure-messaging form is accepted
        return encodeResponse(SW.SECURITY_STATUS_NOT_SATISFIED);
      case INS.SIGN:
        return encodeResponse(SW.CLA_NOT_SUPPORTED);
      default:
        return encodeResponse(SW.INS_NOT_SUPPORTED);
    }
  }

  #initialState(): CardState {
    return {
      auth: { triesLeft: MAX_TRIES.auth },
      signing: { triesLeft: MAX_TRIES.signing },
      assist: { triesLeft: MAX_TRIES.assist },
      collationA: { triesLeft: MAX_TRIES.collationA },
      collationB: { triesLeft: MAX_TRIES.collationB },
    };
  }

  #loadState(): CardState {
    return this.#store ? this.#store.load(this.holderId, this.#initialState()) : this.#initialState();
  }

  #persist(): void {
    this.#store?.save(this.holderId, this.#state);
  }

  #clearVolatile(): void {
    this.#app = null;
    this.#currentEf = null;
    this.#verified = noVerifiedPins();
    this.#challenge = null;
  }

  #select(cmd: CommandApdu): Uint8Array {
    if (cmd.p2 !== 0x0c && cmd.p2 !== 0x00) return encodeResponse(SW.INCORRECT_P1P2);
    const data = cmd.data;
    if (cmd.p1 === 0x04) {
      if (!data) return encodeResponse(SW.WRONG_LENGTH);
      const app = [...this.#apps].find(([, a]) => equalBytes(data, a.aid))?.[0];
      if (!app) return encodeResponse(SW.FILE_NOT_FOUND);
      // Selecting an application (again) starts a fresh security context.
      this.#app = app;
      this.#currentEf = null;
      this.#verified = noVerifiedPins();
      return encodeResponse(SW.OK);
    }
    if (cmd.p1 === 0x02) {
      if (!data || data.length !== 2) return encodeResponse(SW.WRONG_LENGTH);
      if (!this.#app) return encodeResponse(SW.COMMAND_NOT_ALLOWED_NO_EF);
      const fid = (data[0]! << 8) | data[1]!;
      if (!this.#appFiles()?.has(fid)) return encodeResponse(SW.FILE_NOT_FOUND);
      this.#currentEf = fid;
      return encodeResponse(SW.OK);
    }
    return encodeResponse(SW.INCORRECT_P1P2);
  }

  #appFiles(): ReadonlyMap<number, CardFile> | null {
    return this.#app ? (this.#apps.get(this.#app)?.files ?? null) : null;
  }

  #current(): CardFile | null {
    return this.#currentEf === null ? null : (this.#appFiles()?.get(this.#currentEf) ?? null);
  }

  #readBinary(cmd: CommandApdu): Uint8Array {
    if ((cmd.p1 & 0x80) !== 0) return encodeResponse(SW.INCORRECT_P1P2); // short EF ids: not supported
    if (cmd.data || cmd.le === undefined) return encodeResponse(SW.WRONG_LENGTH);
    const file = this.#current();
    if (!file) return encodeResponse(SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (file.kind !== 'binary') return encodeResponse(SW.INCOMPATIBLE_FILE_STRUCTURE);
    if (file.readRequires && !file.readRequires.some((slot) => this.#verified[slot]))
      return encodeResponse(SW.SECURITY_STATUS_NOT_SATISFIED);
    const offset = (cmd.p1 << 8) | cmd.p2;
    if (offset >= file.data.length) return encodeResponse(SW.WRONG_P1P2_OFFSET);
    const end = Math.min(file.data.length, offset + cmd.le);
    const chunk = file.data.slice(offset, end);
    return encodeResponse(offset + cmd.le > file.data.length ? SW.END_OF_FILE_WARNING : SW.OK, chunk);
  }

  #pinSlotForCurrent(): PinSlot | { sw: number } {
    const file = this.#current();
    if (!file) return { sw: SW.COMMAND_NOT_ALLOWED_NO_EF };
    if (file.kind !== 'pin') return { sw: SW.INCOMPATIBLE_FILE_STRUCTURE };
    return file.slot;
  }

  #pinMatches(slot: PinSlot, candidate: Uint8Array): boolean {
    const changed = this.#state[slot].changed;
    if (changed) return pinMatchesHash(candidate, changed);
    const factory = this.#factoryPins[slot];
    return factory !== undefined && equalBytes(candidate, factory);
  }

  #verify(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return encodeResponse(SW.INCORRECT_P1P2);
    const slot = this.#pinSlotForCurrent();
    if (typeof slot !== 'string') return encodeResponse(slot.sw);
    const pin = this.#state[slot];
    if (!cmd.data) {
      // Status query: never spends a try.
      if (pin.triesLeft === 0) return encodeResponse(SW.REFERENCE_DATA_NOT_USABLE);
      if (this.#verified[slot]) return encodeResponse(SW.OK);
      return encodeResponse(swTriesLeft(pin.triesLeft));
    }
    const candidate = cmd.data;
    try {
      if (pin.triesLeft === 0) return encodeResponse(SW.REFERENCE_DATA_NOT_USABLE);
      if (this.#pinMatches(slot, candidate)) {
        if (pin.triesLeft !== MAX_TRIES[slot]) {
          pin.triesLeft = MAX_TRIES[slot];
          this.#persist();
        }
        this.#verified[slot] = true;
        return encodeResponse(SW.OK);
      }
      pin.triesLeft -= 1;
      this.#persist();
      this.#verified[slot] = false;
      return encodeResponse(swTriesLeft(pin.triesLeft));
    } finally {
      candidate.fill(0);
    }
  }

  #changeReferenceData(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x01 || cmd.p2 !== 0x80) return encodeResponse(SW.INCORRECT_P1P2);
    const slot = this.#pinSlotForCurrent();
    if (typeof slot !== 'string') return encodeResponse(slot.sw);
    if (!cmd.data) return encodeResponse(SW.WRONG_LENGTH);
    if (slot === 'collationA' || slot === 'collationB') return encodeResponse(SW.CONDITIONS_NOT_SATISFIED);
    const next = cmd.data;
    try {
      if (this.#state[slot].triesLeft === 0) return encodeResponse(SW.REFERENCE_DATA_NOT_USABLE);
      if (!this.#verified[slot]) return encodeResponse(SW.SECURITY_STATUS_NOT_SATISFIED);
      if (!PIN_PATTERN[slot].test(Buffer.from(next).toString('latin1'))) return encodeResponse(SW.WRONG_DATA);
      this.#state[slot] = { triesLeft: MAX_TRIES[slot], changed: hashPin(next) };
      this.#persist();
      return encodeResponse(SW.OK);
    } finally {
      next.fill(0);
    }
  }

  #getChallenge(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return encodeResponse(SW.INCORRECT_P1P2);
    if (cmd.data || cmd.le !== CHALLENGE_LENGTH) return encodeResponse(SW.WRONG_LENGTH);
    if (this.#app !== 'jpki') return encodeResponse(SW.CONDITIONS_NOT_SATISFIED);
    const challenge = Uint8Array.from(randomBytes(CHALLENGE_LENGTH));
    this.#challenge = challenge;
    return encodeResponse(SW.OK, challenge);
  }

  /** RESET RETRY COUNTER under secure messaging (see protocol/secure-messaging.ts). */
  #securedReset(cmd: CommandApdu, challenge: Uint8Array | null): Uint8Array {
    if (this.#app !== 'jpki') return encodeResponse(SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (!this.#pinResetKey || !challenge) return encodeResponse(SW.CONDITIONS_NOT_SATISFIED);
    const opened = openPinResetCommand({ cardKey: this.#pinResetKey, challenge, command: cmd });
    if (opened.kind === 'refused') return encodeResponse(opened.sw);
    const sealed = (sw: number): Uint8Array =>
      encodeResponse(SW.OK, sealPinResetResponse({ cardKey: this.#pinResetKey!, challenge, sw }));
    const slot = opened.target;
    const newPin = opened.newPin;
    try {
      if (newPin && !PIN_PATTERN[slot].test(Buffer.from(newPin).toString('latin1')))
        return sealed(SW.WRONG_DATA);
      const previous = this.#state[slot].changed;
      this.#state[slot] = {
        triesLeft: MAX_TRIES[slot],
        ...(newPin ? { changed: hashPin(newPin) } : previous ? { changed: previous } : {}),
      };
      this.#persist();
      this.#verified[slot] = false;
      return sealed(SW.OK);
    } finally {
      newPin?.fill(0);
    }
  }

  #sign(cmd: CommandApdu): Uint8Array {
    if (cmd.p1 !== 0x00 || cmd.p2 !== 0x80) return encodeResponse(SW.INCORRECT_P1P2);
    if (!cmd.data) return encodeResponse(SW.WRONG_LENGTH);
    const file = this.#current();
    if (!file) return encodeResponse(SW.COMMAND_NOT_ALLOWED_NO_EF);
    if (file.kind !== 'key') return encodeResponse(SW.INCOMPATIBLE_FILE_STRUCTURE);
    if (!this.#verified[file.slot]) return encodeResponse(SW.SECURITY_STATUS_NOT_SATISFIED);
    if (cmd.data.length > file.modulusBytes - 11) return encodeResponse(SW.WRONG_LENGTH);
    // PKCS#1 v1.5 type 1 padding over the DigestInfo as given: the card does not hash.
    const signature = privateEncrypt({ key: file.key, padding: constants.RSA_PKCS1_PADDING }, cmd.data);
    return encodeResponse(SW.OK, signature);
  }
}
