/**
 * The card's signed face (券面AP EF 0002) and its basic information (券面入力補助AP EF 0002) as the
 * phone reads them: parsed, and the face's issuer signature verified under a trusted 署名用 CA key.
 *
 *   券面AP:        FF20 { DF21 offsets, DF22 birth, DF23 sex, DF24 issuer key, DF25 name image,
 *                         DF26 address image, DF27 face photo (JPEG 2000), DF28 signature }
 *   券面入力補助AP: FF20 { DF21 offsets, DF22 name, DF23 address, DF24 birth, DF25 sex }
 */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';

export interface SignedCardFace {
  birthDate: string;
  sex: string;
  /** DF27: the JPEG 2000 photo. */
  photo: Uint8Array;
  /** DER of the 署名用 CA certificate whose key signed it. */
  issuerCaDer: Uint8Array;
}

export interface CardBasicInfo {
  name: string;
  address: string;
  birthDate: string;
  sex: string;
}

export type CardFaceResult<T> = { ok: true; value: T } | { ok: false; detail: string };

const MAX_FILE_BYTES = 64 * 1024;

/** The primitive children of the FF20 template: tag number → (value, encoded TLV). */
function children(file: Uint8Array): Map<number, { value: Uint8Array; encoded: Uint8Array }> | undefined {
  if (file.length === 0 || file.length > MAX_FILE_BYTES) return undefined;
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    // asn1js throws on some malformed universal values (an empty GeneralizedTime, `18 00`).
    parsed = asn1js.fromBER(file);
  } catch {
    return undefined;
  }
  if (parsed.offset === -1) return undefined;
  const root = parsed.result;
  if (root.idBlock.tagClass !== 4 || root.idBlock.tagNumber !== 0x20 || !root.idBlock.isConstructed)
    return undefined;
  const out = new Map<number, { value: Uint8Array; encoded: Uint8Array }>();
  const items = (root.valueBlock as unknown as { value: asn1js.BaseBlock[] }).value;
  for (const item of items) {
    if (item.idBlock.tagClass !== 4 || item.idBlock.isConstructed) return undefined;
    const tag = item.idBlock.tagNumber;
    if (out.has(tag)) return undefined;
    out.set(tag, {
      value: new Uint8Array(
        (item as unknown as { valueBlock: { valueHexView: Uint8Array } }).valueBlock.valueHexView,
      ),
      encoded: new Uint8Array(item.valueBeforeDecodeView),
    });
  }
  return out;
}

const utf8 = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/** Parses the 券面AP file and verifies DF28 over DF22…DF27 with a trusted 署名用 CA's key (DF24). */
export function verifyCardFace(
  file: Uint8Array,
  signingCaCertificates: readonly Uint8Array[],
): CardFaceResult<SignedCardFace> {
  const tlvs = children(file);
  if (!tlvs) return { ok: false, detail: 'not a 券面AP file' };
  const signedTags = [0x22, 0x23, 0x24, 0x25, 0x26, 0x27];
  const signed = signedTags.map((t) => tlvs.get(t));
  const signature = tlvs.get(0x28);
  if (signed.some((e) => e === undefined) || !signature) return { ok: false, detail: 'a field is missing' };
  const issuerKey = Buffer.from(tlvs.get(0x24)!.value);
  const issuerCaDer = signingCaCertificates.find((der) =>
    new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' }).equals(issuerKey),
  );
  if (!issuerCaDer) return { ok: false, detail: 'issuer key is not a trusted 署名用 CA' };
  const data = Buffer.concat(signed.map((e) => e!.encoded));
  const key = createPublicKey({ key: issuerKey, format: 'der', type: 'spki' });
  if (!verify('sha256', data, key, signature.value))
    return { ok: false, detail: 'signature does not verify' };
  try {
    return {
      ok: true,
      value: {
        birthDate: utf8(tlvs.get(0x22)!.value),
        sex: utf8(tlvs.get(0x23)!.value),
        photo: tlvs.get(0x27)!.value,
        issuerCaDer,
      },
    };
  } catch {
    return { ok: false, detail: 'birth date or sex is not UTF-8' };
  }
}

/** Parses the 券面入力補助AP basic-information file (read with the 4-digit PIN). */
export function parseBasicInfo(file: Uint8Array): CardFaceResult<CardBasicInfo> {
  const tlvs = children(file);
  const field = (tag: number) => tlvs?.get(tag)?.value;
  const [name, address, birthDate, sex] = [field(0x22), field(0x23), field(0x24), field(0x25)];
  if (!name || !address || !birthDate || !sex) return { ok: false, detail: 'not a basic-information file' };
  try {
    return {
      ok: true,
      value: { name: utf8(name), address: utf8(address), birthDate: utf8(birthDate), sex: utf8(sex) },
    };
  } catch {
    return { ok: false, detail: 'a field is not UTF-8' };
  }
}
