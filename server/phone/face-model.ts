/**
 * Face recognition for the PIN reset's face check: @vladmandic/face-api (SSD MobileNet v1 face
 * detector, 68-point landmarks, the 128-dimension ResNet face descriptor) on TensorFlow.js' WASM
 * backend (CPU backend when WASM cannot start). The weights ship in the npm package and are read
 * from node_modules: nothing is downloaded. Loaded once, lazily, on the first comparison.
 * Images stay in memory: nothing here writes or logs them.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as FaceApi from '@vladmandic/face-api';
import type * as Tf from '@tensorflow/tfjs';

/** An 8-bit RGB image, rows top to bottom, pixels interleaved R G B. */
export interface RgbImage {
  width: number;
  height: number;
  rgb: Uint8Array;
}

export type FaceDescription =
  | { kind: 'face'; descriptor: Float32Array; detectionScore: number }
  | { kind: 'no-face' }
  | { kind: 'several-faces'; count: number };

export interface FaceModel {
  /** The one face in the image, described; the detector sees the image scaled to ≤ 512 px. */
  describe(image: RgbImage): Promise<FaceDescription>;
  /** 'wasm' or 'cpu'. */
  readonly backend: string;
}

/**
 * Euclidean distance between two descriptors at or below which the faces are taken as one person.
 * face-api suggests 0.6 (its descriptors separate people on LFW at about that distance); a false
 * accept here hands a stranger a PIN reset, so the check is stricter: 0.40. On the test pairs
 * (`npm run bench -- face`, server/README.md) the genuine distances measured 0.10–0.35 and the
 * impostors' 0.43–0.83; at 0.45 one impostor pair of 168 was accepted.
 */
export const FACE_MATCH_THRESHOLD = 0.4;
/** Detections below this confidence are not faces. */
const MIN_DETECTION_CONFIDENCE = 0.5;

export function faceDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError('descriptor lengths differ');
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(sum);
}

type FaceApiModule = typeof FaceApi;
const require = createRequire(import.meta.url);

async function loadNet(
  faceapi: FaceApiModule,
  net: { loadFromWeightMap(map: FaceApi.tf.NamedTensorMap): void },
  modelDir: string,
  name: string,
): Promise<void> {
  const manifest = JSON.parse(
    await readFile(join(modelDir, `${name}-weights_manifest.json`), 'utf8'),
  ) as Array<{
    paths: string[];
    weights: FaceApi.tf.io.WeightsManifestEntry[];
  }>;
  const groups = await Promise.all(
    manifest.map(async (group) => ({
      weights: group.weights,
      bytes: Buffer.concat(await Promise.all(group.paths.map((p) => readFile(join(modelDir, p))))),
    })),
  );
  const bytes = Buffer.concat(groups.map((g) => g.bytes));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  net.loadFromWeightMap(
    faceapi.tf.io.decodeWeights(
      buffer,
      groups.flatMap((g) => g.weights),
    ),
  );
}

async function startBackend(): Promise<string> {
  // The same TensorFlow.js instance face-api's node-wasm build requires.
  const tf = require('@tensorflow/tfjs') as typeof Tf;
  try {
    // The WASM binaries sit beside the backend's own script in node_modules.
    const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(path: string): void };
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  } catch {
    // fall through to the CPU backend
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}

async function createFaceModel(): Promise<FaceModel> {
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiModule;
  const backend = await startBackend();
  const modelDir = join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await loadNet(faceapi, faceapi.nets.ssdMobilenetv1, modelDir, 'ssd_mobilenetv1_model');
  await loadNet(faceapi, faceapi.nets.faceLandmark68Net, modelDir, 'face_landmark_68_model');
  await loadNet(faceapi, faceapi.nets.faceRecognitionNet, modelDir, 'face_recognition_model');
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_DETECTION_CONFIDENCE });
  return {
    backend,
    async describe(image) {
      if (image.rgb.length !== image.width * image.height * 3) throw new RangeError('RGB buffer size');
      const input = faceapi.tf.tensor3d(image.rgb, [image.height, image.width, 3], 'int32');
      try {
        const found = await faceapi.detectAllFaces(input, options).withFaceLandmarks().withFaceDescriptors();
        if (found.length === 0) return { kind: 'no-face' };
        if (found.length > 1) return { kind: 'several-faces', count: found.length };
        const [face] = found;
        return { kind: 'face', descriptor: face!.descriptor, detectionScore: face!.detection.score };
      } finally {
        input.dispose();
      }
    },
  };
}

let model: Promise<FaceModel> | undefined;

/** The model, loaded on first use and shared by every caller in the process. */
export function loadFaceModel(): Promise<FaceModel> {
  model ??= createFaceModel().catch((error: unknown) => {
    model = undefined;
    throw error;
  });
  return model;
}
