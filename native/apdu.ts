/**
 * ISO 7816-4 APDU helpers: encode command APDUs (short form by default, extended on request),
 * parse command APDUs (for the virtual card), split responses into data + status word.
 */

/** Status words the JPKI card and the virtual card use. */
export const SW = {
  OK: 0x9000,
  END_OF_FILE_WARNING: 0x6282, // end of file reached before Le bytes
  WRONG_LENGTH: 0x6700,
  INCOMPATIBLE_FILE_STRUCTURE: 0x6981,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  REFERENCE_DATA_NOT_USABLE: 0x6984,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED_NO_EF: 0x6986,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  WRONG_P1P2_OFFSET: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

/** `63Cx`: verification failed, x tries left. */
export function swTriesLeft(triesLeft: number): number {
  return 0x63c0 | (triesLeft & 0x0f);
}

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  /** Command data (absent = no Lc field). */
  data?: Uint8Array;
  /** Expected response length. 256 in short form is encoded as `00`; absent = no Le field. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
  sw1: number;
  sw2: number;
}

export type ApduParseError = { kind: 'malformed-apdu'; reason: string };

function isByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xff;
}

/**
 * Encodes a command APDU. Short form unless `extended` is set or a length does not fit.
 * Throws RangeError on a programming error (bad header byte, oversize data): these are bugs
 * in the caller, not card conditions.
 */
export function encodeCommand(cmd: CommandApdu, opts: { extended?: boolean } = {}): Uint8Array {
  for (const [name, v] of [
    ['cla', cmd.cla],
    ['ins', cmd.ins],
    ['p1', cmd.p1],
    ['p2', cmd.p2],
  ] as const) {
    if (!isByte(v)) throw new RangeError(`APDU ${name} out of range`);
  }
  const data = cmd.data ?? new Uint8Array(0);
  const le = cmd.le;
  if (data.length > 65535) throw new RangeError('APDU data too long');
  if (le !== undefined && (!Number.isInteger(le) || le < 0 || le > 65536))
    throw new RangeError('APDU Le out of range');
  const extended = opts.extended === true || data.length > 255 || (le !== undefined && le > 256);
  // Written straight into one buffer (no intermediate arrays), so a caller can wipe a PIN APDU.
  const lcSize = data.length === 0 ? 0 : extended ? 3 : 1;
  const leSize = le === undefined ? 0 : extended ? (data.length > 0 ? 2 : 3) : 1;
  const out = new Uint8Array(4 + lcSize + data.length + leSize);
  out.set([cmd.cla, cmd.ins, cmd.p1, cmd.p2], 0);
  let at = 4;
  if (data.length > 0) {
    if (extended) out.set([0, (data.length >> 8) & 0xff, data.length & 0xff], at);
    else out[at] = data.length;
    at += lcSize;
    out.set(data, at);
    at += data.length;
  }
  if (le !== undefined) {
    const v = le === 256 && !extended ? 0 : le === 65536 ? 0 : le;
    if (!extended) out[at] = v;
    else if (data.length > 0) out.set([(v >> 8) & 0xff, v & 0xff], at);
    else out.set([0, (v >> 8) & 0xff, v & 0xff], at);
  }
  return out;
}

/** Parses a command APDU (ISO 7816-4 cases 1–4, short and extended). Le 0 means "maximum" (256/65536). */
export function parseCommand(bytes: Uint8Array): CommandApdu | ApduParseError {
  if (bytes.length < 4) return { kind: 'malformed-apdu', reason: 'shorter than a header' };
  const [cla, ins, p1, p2] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!];
  const base = { cla, ins, p1, p2 };
  const body = bytes.subarray(4);
  if (body.length === 0) return base; // case 1
  if (body.length === 1) return { ...base, le: body[0] === 0 ? 256 : body[0]! }; // case 2 short
  const b0 = body[0]!;
  if (b0 !== 0) {
    // short: case 3 or 4
    const lc = b0;
    if (body.length === 1 + lc) return { ...base, data: body.slice(1, 1 + lc) };
    if (body.length === 2 + lc) {
      const le = body[1 + lc]!;
      return { ...base, data: body.slice(1, 1 + lc), le: le === 0 ? 256 : le };
    }
    return { kind: 'malformed-apdu', reason: 'Lc does not match the body length' };
  }
  // extended form (body starts with 00)
  if (body.length === 3) {
    const le = (body[1]! << 8) | body[2]!;
    return { ...base, le: le === 0 ? 65536 : le }; // case 2 extended
  }
  if (body.length < 3) return { kind: 'malformed-apdu', reason: 'truncated extended length' };
  const lc = (body[1]! << 8) | body[2]!;
  if (lc === 0) return { kind: 'malformed-apdu', reason: 'extended Lc of zero' };
  if (body.length === 3 + lc) return { ...base, data: body.slice(3, 3 + lc) };
  if (body.length === 5 + lc) {
    const le = (body[3 + lc]! << 8) | body[4 + lc]!;
    return { ...base, data: body.slice(3, 3 + lc), le: le === 0 ? 65536 : le };
  }
  return { kind: 'malformed-apdu', reason: 'extended Lc does not match the body length' };
}

/** Splits a response APDU into data and status word. Returns null if shorter than 2 bytes. */
export function parseResponse(bytes: Uint8Array): ResponseApdu | null {
  if (bytes.length < 2) return null;
  const sw1 = bytes[bytes.length - 2]!;
  const sw2 = bytes[bytes.length - 1]!;
  return { data: bytes.slice(0, bytes.length - 2), sw: (sw1 << 8) | sw2, sw1, sw2 };
}

/** Builds a response APDU: data followed by SW1 SW2. */
export function encodeResponse(sw: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new RangeError('not a hex string');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}
