/**
 * espeak-ng's WAV (16-bit mono PCM at 22050 Hz; from --stdout the sizes in the header are
 * placeholders) at half the sample rate: speech stays clear at 11025 Hz and the files halve.
 */

export class UnsupportedWavError extends Error {
  override readonly name = 'UnsupportedWavError';
}

const HEADER_BYTES = 44;

/** The 16-bit mono PCM samples of a RIFF/WAVE file and their rate. */
function readPcm(wav: Buffer): { rate: number; samples: Int16Array } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new UnsupportedWavError('not a RIFF/WAVE file');
  }
  let rate = 0;
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      const format = wav.readUInt16LE(body);
      const channels = wav.readUInt16LE(body + 2);
      const bits = wav.readUInt16LE(body + 14);
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new UnsupportedWavError(
          `expected 16-bit mono PCM, got format ${format}, ${channels} ch, ${bits} bit`,
        );
      }
      rate = wav.readUInt32LE(body + 4);
    } else if (id === 'data') {
      if (rate === 0) throw new UnsupportedWavError('data before fmt');
      // A streamed file's data size is a placeholder: the samples run to the end of the file.
      const end = Math.min(wav.length, body + size);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i += 1) samples[i] = wav.readInt16LE(body + i * 2);
      return { rate, samples };
    }
    offset = body + size + (size % 2);
  }
  throw new UnsupportedWavError('no data chunk');
}

/** A canonical 44-byte-header WAV of 16-bit mono samples. */
function writePcm(rate: number, samples: Int16Array): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(HEADER_BYTES + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // bytes per second
  wav.writeUInt16LE(2, 32); // bytes per frame
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i += 1) wav.writeInt16LE(samples[i]!, HEADER_BYTES + i * 2);
  return wav;
}

/** The WAV at half its sample rate, each pair of samples averaged (a simple low-pass). */
export function halveSampleRate(wav: Buffer): Buffer {
  const { rate, samples } = readPcm(wav);
  const half = new Int16Array(Math.floor(samples.length / 2));
  for (let i = 0; i < half.length; i += 1) half[i] = (samples[2 * i]! + samples[2 * i + 1]!) >> 1;
  return writePcm(Math.floor(rate / 2), half);
}
