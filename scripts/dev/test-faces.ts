/**
 * Test faces for the PIN reset's face check: real photographs from the sample images that
 * @vladmandic/face-api ships (its demo/sample1–4.jpg, group photos), one person per test holder.
 * The card photo is a tight crop (160×200, as the 券面AP holds it, JPEG 2000 by OpenJPEG); a
 * "selfie" is another copy of the same face — looser crop, larger, lighter or darker, turned a
 * few degrees — and an impostor is another person's selfie. Everything is made in memory.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { encodeJp2, type RgbImage } from '../../native/virtual-card/jpeg2000.ts';

interface FaceBox {
  sample: 1 | 2 | 3 | 4;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the faces are in the sample photos (the face detector's boxes, rounded), one person each.
 * Only faces the detector also finds in the card-sized crop are used (two of the ten were not).
 */
const PEOPLE: readonly FaceBox[] = [
  { sample: 1, x: 414, y: 354, width: 177, height: 239 },
  { sample: 1, x: 838, y: 420, width: 186, height: 227 },
  { sample: 1, x: 1476, y: 199, width: 203, height: 240 },
  { sample: 2, x: 1447, y: 153, width: 193, height: 242 },
  { sample: 3, x: 585, y: 329, width: 199, height: 271 },
  { sample: 3, x: 1514, y: 291, width: 169, height: 279 },
  { sample: 4, x: 664, y: 52, width: 186, height: 257 },
  { sample: 4, x: 988, y: 180, width: 169, height: 227 },
];

/** Holders whose cards carry a real face photo (the others keep the grey placeholder). */
export const FACE_HOLDERS: readonly string[] = PEOPLE.map((_, i) => `H${String(i + 1).padStart(4, '0')}`);

/** The card photo: head and shoulders, 4:5, as on the card. */
const CARD_MARGIN = 0.6;
export const CARD_PHOTO = { width: 160, height: 200 } as const;

/** The ways a selfie differs from the card photo. */
export interface SelfieVariant {
  /** Crop margin around the face box, as a fraction of its size (the card's is 0.6). */
  margin: number;
  /** Output width (the card photo is 160). */
  width: number;
  /** Brightness factor. */
  light: number;
  /** Degrees, clockwise. */
  rotation: number;
}

export const SELFIE_VARIANTS: readonly SelfieVariant[] = [
  { margin: 0.6, width: 360, light: 1.15, rotation: 5 },
  { margin: 0.8, width: 480, light: 0.8, rotation: -6 },
  { margin: 0.5, width: 300, light: 1.3, rotation: 2 },
];

function sampleFile(sample: number): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', `sample${sample}.jpg`);
}

function personOf(holderId: string): FaceBox | undefined {
  const index = FACE_HOLDERS.indexOf(holderId);
  return index < 0 ? undefined : PEOPLE[index];
}

async function cropAround(face: FaceBox, margin: number, width: number): Promise<Sharp> {
  const source = sharp(sampleFile(face.sample));
  const { width: sw = 0, height: sh = 0 } = await source.metadata();
  const cx = face.x + face.width / 2;
  const cy = face.y + face.height / 2;
  // 4:5 around the face, grown by the margin, kept inside the photo.
  let h = face.height * (1 + 2 * margin);
  let w = (h * 4) / 5;
  w = Math.min(w, sw);
  h = Math.min(h, sh);
  const left = Math.round(Math.min(Math.max(cx - w / 2, 0), sw - w));
  const top = Math.round(Math.min(Math.max(cy - h / 2, 0), sh - h));
  return source
    .extract({ left, top, width: Math.round(w), height: Math.round(h) })
    .resize(width, Math.round((width * 5) / 4));
}

async function rgbOf(image: Sharp): Promise<RgbImage> {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgb: new Uint8Array(data) };
}

/** The holder's card photo as pixels; undefined for a holder without a face. */
export async function cardPhotoPixels(holderId: string): Promise<RgbImage | undefined> {
  const person = personOf(holderId);
  if (!person) return undefined;
  return rgbOf(await cropAround(person, CARD_MARGIN, CARD_PHOTO.width));
}

/** The holder's card photo as the 券面AP holds it (JP2, OpenJPEG); undefined without a face. */
export async function cardPhotoJp2(holderId: string): Promise<Uint8Array | undefined> {
  const pixels = await cardPhotoPixels(holderId);
  return pixels ? encodeJp2(pixels) : undefined;
}

/** A selfie of the holder (JPEG), variant 0–2; undefined for a holder without a face. */
export async function selfieJpeg(holderId: string, variant = 0): Promise<Uint8Array | undefined> {
  const person = personOf(holderId);
  const v = SELFIE_VARIANTS[variant];
  if (!person || !v) return undefined;
  const crop = await cropAround(person, v.margin, v.width);
  const turned = sharp(await crop.toBuffer())
    .rotate(v.rotation, { background: { r: 128, g: 128, b: 128 } })
    .modulate({ brightness: v.light });
  return new Uint8Array(await turned.jpeg({ quality: 85 }).toBuffer());
}

/** An impostor's selfie for the holder: the next face-holder's face (another person). */
export async function impostorSelfieJpeg(holderId: string, variant = 0): Promise<Uint8Array | undefined> {
  const index = FACE_HOLDERS.indexOf(holderId);
  if (index < 0) return undefined;
  return selfieJpeg(FACE_HOLDERS[(index + 1) % FACE_HOLDERS.length]!, variant);
}
