/** Names and numbers of the My Number Card's JPKI application (see shared/reference/jpki-card.md). */

export const JPKI_AID = Uint8Array.from([0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01]);
/** 券面事項入力補助AP — not used for issuance. */
export const KENKAKU_NYURYOKU_HOJO_AID = Uint8Array.from([
  0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08,
]);
/** 券面事項確認AP — not used for issuance. */
export const KENMEN_AID = Uint8Array.from([0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02]);

/** Elementary files of JPKI-AP, by file id. */
export const JpkiEf = {
  SIGNING_CERTIFICATE: 0x0001,
  SIGNING_CA_CERTIFICATE: 0x0002,
  TOKEN_INFO: 0x0006,
  CERTIFICATE_PRESENCE: 0x0008,
  AUTH_CERTIFICATE: 0x000a,
  AUTH_CA_CERTIFICATE: 0x000b,
  AUTH_KEY: 0x0017,
  AUTH_PIN: 0x0018,
  SIGNING_KEY: 0x001a,
  SIGNING_PIN: 0x001b,
} as const;

export const TOKEN_LABEL_LENGTH = 32;
/** The label of a My Number Card's JPKI token; anything else is refused. */
export const MY_NUMBER_CARD_TOKEN_LABEL = 'JPKIAPICCTOKEN2';
/** 住民基本台帳カード. */
export const OLD_CARD_TOKEN_LABEL = 'JPKIAPICCTOKEN';
/** Smartphone JPKI (Android / iOS). */
export const PHONE_TOKEN_LABELS: readonly string[] = ['JPKIAPGPSETOKEN', 'JPKIAPIOSTOKEN'];

export const AUTH_PIN_TRIES = 3;
export const SIGNING_PIN_TRIES = 5;

/** `3B E0 00 FF 81 31 FE 45 14`: the ATR OpenSC's jpki driver knows (TCK 0x14 included). */
export const MY_NUMBER_CARD_ATR = Uint8Array.from([0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14]);

/** DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1). */
export const SHA256_DIGEST_INFO_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
  0x20,
]);

/** Wraps a 32-byte SHA-256 hash into the DER DigestInfo the card signs. */
export function sha256DigestInfo(hash: Uint8Array): Uint8Array {
  if (hash.length !== 32) throw new RangeError('a SHA-256 hash is 32 bytes');
  const out = new Uint8Array(SHA256_DIGEST_INFO_PREFIX.length + 32);
  out.set(SHA256_DIGEST_INFO_PREFIX, 0);
  out.set(hash, SHA256_DIGEST_INFO_PREFIX.length);
  return out;
}
