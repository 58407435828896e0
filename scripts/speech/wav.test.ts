import { describe, expect, it } from 'vitest';
import { halveSampleRate, UnsupportedWavError } from './wav.ts';

/** A WAV as espeak-ng streams it: 16-bit mono, sizes in the header left as placeholders. */
function streamedWav(rate: number, samples: number[], channels = 1): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(0x7ffff024, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2 * channels, 28);
  header.writeUInt16LE(2 * channels, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(0x7ffff000, 40);
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(sample, i * 2));
  return Buffer.concat([header, data]);
}

describe('halveSampleRate', () => {
  it('averages each pair of samples into a WAV at half the rate with true sizes', () => {
    const half = halveSampleRate(streamedWav(22050, [100, 300, -1000, -2000, 32767, 32767, 5]));
    expect(half.toString('ascii', 0, 4)).toBe('RIFF');
    expect(half.readUInt32LE(4)).toBe(half.length - 8);
    expect(half.readUInt32LE(24)).toBe(11025);
    expect(half.readUInt32LE(28)).toBe(22050);
    expect(half.readUInt32LE(40)).toBe(6);
    expect([0, 1, 2].map((i) => half.readInt16LE(44 + i * 2))).toEqual([200, -1500, 32767]);
  });

  it('refuses what is not 16-bit mono PCM', () => {
    expect(() => halveSampleRate(streamedWav(22050, [1, 2], 2))).toThrow(UnsupportedWavError);
    expect(() => halveSampleRate(Buffer.from('not a wav file at all, forty-four bytes long'))).toThrow(
      UnsupportedWavError,
    );
  });
});
