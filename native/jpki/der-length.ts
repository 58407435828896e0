/** Total encoded size of the first DER TLV in a buffer, from its tag and length octets. */

export type DerHeaderResult =
  | { kind: 'ok'; headerLength: number; contentLength: number; totalLength: number }
  | { kind: 'need-more'; atLeast: number }
  | { kind: 'invalid'; reason: string };

export function derTotalLength(bytes: Uint8Array): DerHeaderResult {
  if (bytes.length < 2) return { kind: 'need-more', atLeast: 2 };
  const tag = bytes[0]!;
  if ((tag & 0x1f) === 0x1f) return { kind: 'invalid', reason: 'multi-byte tags are not expected here' };
  const first = bytes[1]!;
  if (first < 0x80) return { kind: 'ok', headerLength: 2, contentLength: first, totalLength: 2 + first };
  if (first === 0x80) return { kind: 'invalid', reason: 'indefinite length is not DER' };
  const n = first & 0x7f;
  if (n > 3) return { kind: 'invalid', reason: 'length too large for a card file' };
  if (bytes.length < 2 + n) return { kind: 'need-more', atLeast: 2 + n };
  let len = 0;
  for (let i = 0; i < n; i++) len = (len << 8) | bytes[2 + i]!;
  if (bytes[2] === 0 || len < 0x80) return { kind: 'invalid', reason: 'non-minimal length' };
  return { kind: 'ok', headerLength: 2 + n, contentLength: len, totalLength: 2 + n + len };
}
