import ipp from 'ipp';
import { describe, expect, it } from 'vitest';
import { checkIppFraming } from './ipp-framing.ts';

const answer: Buffer = ipp.serialize({
  version: '2.0',
  statusCode: 'successful-ok',
  id: 9,
  'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
  'printer-attributes-tag': {
    'printer-state': 'idle',
    'printer-state-reasons': ['none'],
    'queued-job-count': 0,
  },
});

/** Offset of the first attribute's name-length field: header (8) + group tag (1) + value tag (1). */
const FIRST_NAME_LENGTH = 10;

describe('checkIppFraming', () => {
  it('accepts a well-formed answer', () => {
    expect(checkIppFraming(answer)).toBeUndefined();
  });

  it('refuses a length the decoder would read as negative (the endless loop the fuzzer found)', () => {
    const hostile = Buffer.from(answer);
    hostile.writeUInt16BE(0x8001, FIRST_NAME_LENGTH);
    expect(checkIppFraming(hostile)).toMatchObject({ kind: 'ipp-framing', offset: FIRST_NAME_LENGTH - 1 });
  });

  it('refuses an answer cut short, one without an end tag and a value longer than the message', () => {
    expect(checkIppFraming(answer.subarray(0, answer.length - 5))?.kind).toBe('ipp-framing');
    expect(checkIppFraming(answer.subarray(0, answer.length - 1))?.reason).toBe('no end-of-attributes tag');
    const long = Buffer.from(answer);
    long.writeUInt16BE(0x7000, FIRST_NAME_LENGTH);
    expect(checkIppFraming(long)?.reason).toBe('name length does not fit');
  });

  it('refuses an integer whose length is not 4 bytes (the decoder would lose its place)', () => {
    const integerAnswer: Buffer = ipp.serialize({
      version: '2.0',
      statusCode: 'successful-ok',
      id: 1,
      'operation-attributes-tag': { 'job-id': 5 },
    });
    const at = integerAnswer.indexOf(Buffer.from('job-id')) + 'job-id'.length;
    integerAnswer.writeUInt16BE(3, at);
    expect(checkIppFraming(integerAnswer)?.reason).toBe('value of tag 33 is not 4 bytes');
  });

  it('refuses an attribute where a group tag must be', () => {
    const noGroup = Buffer.from(answer);
    noGroup[8] = 0x44;
    expect(checkIppFraming(noGroup)?.reason).toBe('expected a group tag');
  });
});
