/**
 * T=0 style response handling on top of a raw transmit: `6Cxx` (wrong Le) → resend the same
 * command with Le = xx; `61xx` (more data) → GET RESPONSE until the card ends with another
 * status word, concatenating the data.
 */
import { CardTransportError } from '../card-transport.ts';

const MAX_GET_RESPONSE_ROUNDS = 64;

export async function transmitWithResponseChaining(
  raw: (apdu: Uint8Array) => Promise<Uint8Array>,
  apdu: Uint8Array,
): Promise<Uint8Array> {
  let response = await raw(apdu);
  let sw1 = response[response.length - 2]!;
  let sw2 = response[response.length - 1]!;
  if (sw1 === 0x6c) {
    response = await raw(withLe(apdu, sw2));
    sw1 = response[response.length - 2]!;
    sw2 = response[response.length - 1]!;
  }
  if (sw1 !== 0x61) return response;
  const parts: Uint8Array[] = [response.subarray(0, response.length - 2)];
  for (let round = 0; sw1 === 0x61; round++) {
    if (round >= MAX_GET_RESPONSE_ROUNDS) {
      throw new CardTransportError({ kind: 'communication', detail: 'GET RESPONSE did not end' });
    }
    const next = await raw(Uint8Array.from([apdu[0]! & 0x03, 0xc0, 0x00, 0x00, sw2]));
    sw1 = next[next.length - 2]!;
    sw2 = next[next.length - 1]!;
    parts.push(next.subarray(0, next.length - 2));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total + 2);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  out[total] = sw1;
  out[total + 1] = sw2;
  return out;
}

/** The same short command APDU with its Le replaced (or added). Extended APDUs are left alone. */
export function withLe(apdu: Uint8Array, le: number): Uint8Array {
  if (apdu.length === 4) return Uint8Array.from([...apdu, le]); // case 1 → 2
  if (apdu.length === 5) return Uint8Array.from([...apdu.subarray(0, 4), le]); // case 2
  const lc = apdu[4]!;
  if (lc !== 0 && apdu.length === 5 + lc) return Uint8Array.from([...apdu, le]); // case 3 → 4
  if (lc !== 0 && apdu.length === 6 + lc) return Uint8Array.from([...apdu.subarray(0, 5 + lc), le]); // case 4
  return apdu;
}
