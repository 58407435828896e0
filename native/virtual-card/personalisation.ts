/**
 * What a virtual My Number Card holds: keys, certificates, PINs, token label. Stored as JSON
 * (binaries in base64) at a path the caller chooses. This is test material: the file holds PINs,
 * so it never goes to a log, and nothing here prints them.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { BIRTH_DATE_PATTERN, COLLATION_B_PATTERN, MY_NUMBER_PATTERN } from './card-face.ts';
import type { CardFaceData } from './card-face.ts';

export interface CardPersonalisation {
  /** Opaque id of the holder; names the card's state file. No personal data. */
  holderId: string;
  /** Token-info label (EF 0006); `JPKIAPICCTOKEN2` for a My Number Card. */
  tokenLabel: string;
  /** 4 digits. */
  authPin: string;
  /** 6–16 of A–Z 0–9. */
  signingPin: string;
  authPrivateKeyPkcs8: Uint8Array;
  authCertificate: Uint8Array;
  authCaCertificate: Uint8Array;
  signingPrivateKeyPkcs8: Uint8Array;
  signingCertificate: Uint8Array;
  signingCaCertificate: Uint8Array;
  /** The per-card PIN-reset key (secure-messaging.ts); without it the card refuses resets. */
  pinResetKey?: Uint8Array;
  /** 券面入力補助AP and 券面AP content; without it the card has JPKI-AP only. */
  face?: CardFaceData;
}

export type PersonalisationError =
  | { kind: 'personalisation-unreadable'; path: string; detail: string }
  | { kind: 'personalisation-invalid'; path: string; detail: string };

export const AUTH_PIN_PATTERN = /^[0-9]{4}$/;
export const SIGNING_PIN_PATTERN = /^[A-Z0-9]{6,16}$/;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

const FileSchema = z.object({
  format: z.literal('virtual-my-number-card/1'),
  holderId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'holderId: 1–64 of A–Z a–z 0–9 . _ -'),
  tokenLabel: z.string().max(32),
  authPin: z.string().regex(AUTH_PIN_PATTERN, 'authPin: 4 digits'),
  signingPin: z.string().regex(SIGNING_PIN_PATTERN, 'signingPin: 6–16 of A–Z 0–9'),
  authPrivateKeyPkcs8: base64,
  authCertificate: base64,
  authCaCertificate: base64,
  signingPrivateKeyPkcs8: base64,
  signingCertificate: base64,
  signingCaCertificate: base64,
  pinResetKey: base64.optional(),
  face: z
    .object({
      name: z.string().min(1),
      address: z.string().min(1),
      birthDate: z.string().regex(BIRTH_DATE_PATTERN),
      sex: z.enum(['1', '2', '3', '9']),
      myNumber: z.string().regex(MY_NUMBER_PATTERN),
      assistPin: z.string().regex(AUTH_PIN_PATTERN),
      collationB: z.string().regex(COLLATION_B_PATTERN),
      kenmenFile: base64,
    })
    .optional(),
});

const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
const unb64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));

export function personalisationToJson(p: CardPersonalisation): string {
  const file: z.infer<typeof FileSchema> = {
    format: 'virtual-my-number-card/1',
    holderId: p.holderId,
    tokenLabel: p.tokenLabel,
    authPin: p.authPin,
    signingPin: p.signingPin,
    authPrivateKeyPkcs8: b64(p.authPrivateKeyPkcs8),
    authCertificate: b64(p.authCertificate),
    authCaCertificate: b64(p.authCaCertificate),
    signingPrivateKeyPkcs8: b64(p.signingPrivateKeyPkcs8),
    signingCertificate: b64(p.signingCertificate),
    signingCaCertificate: b64(p.signingCaCertificate),
    ...(p.pinResetKey ? { pinResetKey: b64(p.pinResetKey) } : {}),
    ...(p.face ? { face: { ...p.face, kenmenFile: b64(p.face.kenmenFile) } } : {}),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** Parses the JSON form. Error details name the field, never its value. */
export function personalisationFromJson(
  json: string,
  path = '<memory>',
): CardPersonalisation | PersonalisationError {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { kind: 'personalisation-invalid', path, detail: 'not JSON' };
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    return { kind: 'personalisation-invalid', path, detail };
  }
  const f = parsed.data;
  return {
    holderId: f.holderId,
    tokenLabel: f.tokenLabel,
    authPin: f.authPin,
    signingPin: f.signingPin,
    authPrivateKeyPkcs8: unb64(f.authPrivateKeyPkcs8),
    authCertificate: unb64(f.authCertificate),
    authCaCertificate: unb64(f.authCaCertificate),
    signingPrivateKeyPkcs8: unb64(f.signingPrivateKeyPkcs8),
    signingCertificate: unb64(f.signingCertificate),
    signingCaCertificate: unb64(f.signingCaCertificate),
    ...(f.pinResetKey ? { pinResetKey: unb64(f.pinResetKey) } : {}),
    ...(f.face ? { face: { ...f.face, kenmenFile: unb64(f.face.kenmenFile) } } : {}),
  };
}

export function isPersonalisationError(
  v: CardPersonalisation | PersonalisationError,
): v is PersonalisationError {
  return 'kind' in v;
}

export async function loadPersonalisation(path: string): Promise<CardPersonalisation | PersonalisationError> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { kind: 'personalisation-unreadable', path, detail: code };
  }
  return personalisationFromJson(text, path);
}

/** Writes the card file atomically (temporary file + rename), readable by the owner only. */
export async function savePersonalisation(path: string, p: CardPersonalisation): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(tmp, personalisationToJson(p), { mode: 0o600 });
  await rename(tmp, path);
}
