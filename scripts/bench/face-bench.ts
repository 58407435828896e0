/**
 * `npm run bench -- face`: the face check on the test pairs. Every face holder's card photo (JPEG
 * 2000, decoded by OpenJPEG) against every selfie variant of every face holder: the same person's
 * pairs are genuine, the others impostors. Prints false accepts and false rejects at the threshold,
 * the distance ranges, and the time per comparison (one selfie described, the photo's descriptor
 * already known, as in one phone request it is described once too).
 */
import { performance } from 'node:perf_hooks';
import { decodeJpeg2000, decodeSelfie } from '../../server/phone/card-photo.ts';
import {
  FACE_MATCH_THRESHOLD,
  faceDistance,
  loadFaceModel,
  type FaceModel,
  type RgbImage,
} from '../../server/phone/face-model.ts';
import { FACE_HOLDERS, SELFIE_VARIANTS, cardPhotoJp2, selfieJpeg } from '../dev/test-faces.ts';
import type { BenchReport } from './report.ts';

async function descriptorOf(model: FaceModel, image: RgbImage): Promise<Float32Array | undefined> {
  const described = await model.describe(image);
  return described.kind === 'face' ? described.descriptor : undefined;
}

export async function run(): Promise<BenchReport> {
  const loadStart = performance.now();
  const model = await loadFaceModel();
  const loadMs = performance.now() - loadStart;
  const cards = new Map<string, Float32Array | undefined>();
  for (const holder of FACE_HOLDERS) {
    const photo = await decodeJpeg2000((await cardPhotoJp2(holder)) as Uint8Array);
    cards.set(holder, photo.kind === 'image' ? await descriptorOf(model, photo.image) : undefined);
  }
  const genuine: number[] = [];
  const impostor: number[] = [];
  const timesMs: number[] = [];
  let unreadable = 0;
  for (const holder of FACE_HOLDERS) {
    for (let variant = 0; variant < SELFIE_VARIANTS.length; variant++) {
      const selfie = await decodeSelfie((await selfieJpeg(holder, variant)) as Uint8Array);
      if (selfie.kind !== 'image') continue;
      const start = performance.now();
      const descriptor = await descriptorOf(model, selfie.image);
      timesMs.push(performance.now() - start);
      for (const [cardHolder, card] of cards) {
        // A face the model does not find can only be refused: a false reject for the holder.
        const distance = card && descriptor ? faceDistance(card, descriptor) : Number.POSITIVE_INFINITY;
        if (!card || !descriptor) unreadable++;
        (cardHolder === holder ? genuine : impostor).push(distance);
      }
    }
  }
  const falseRejects = genuine.filter((d) => d > FACE_MATCH_THRESHOLD).length;
  const falseAccepts = impostor.filter((d) => d <= FACE_MATCH_THRESHOLD).length;
  const finite = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
  const range = (xs: number[]) => {
    const f = finite(xs);
    return f.length === 0 ? '-' : `${f[0]!.toFixed(3)}–${f[f.length - 1]!.toFixed(3)}`;
  };
  const sortedTimes = [...timesMs].sort((a, b) => a - b);
  const mean = timesMs.reduce((a, b) => a + b, 0) / Math.max(1, timesMs.length);
  return {
    title: `face check (${model.backend} backend, threshold ${FACE_MATCH_THRESHOLD})`,
    rows: [
      {
        pairs: 'genuine',
        count: genuine.length,
        errors: falseRejects,
        kind: 'false rejects',
        distances: range(genuine),
      },
      {
        pairs: 'impostor',
        count: impostor.length,
        errors: falseAccepts,
        kind: 'false accepts',
        distances: range(impostor),
      },
    ],
    notes: [
      `${FACE_HOLDERS.length} people (face-api's sample photos), ${SELFIE_VARIANTS.length} selfies each; ${unreadable} pairs without a face found`,
      `time per comparison (describe one selfie): mean ${mean.toFixed(0)} ms, max ${(sortedTimes[sortedTimes.length - 1] ?? 0).toFixed(0)} ms; model load ${loadMs.toFixed(0)} ms`,
    ],
    checks: [
      {
        target: 'no false accepts',
        measured: `${falseAccepts} of ${impostor.length}`,
        pass: falseAccepts === 0,
      },
      {
        target: 'no false rejects',
        measured: `${falseRejects} of ${genuine.length}`,
        pass: falseRejects === 0,
      },
    ],
  };
}
