import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHostLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createHostLogger({ level: 'info', destination }), lines };
}

const PERSONAL = ['山田 太郎', '東京都千代田区1-1', '1234', '123456789012', '1990-01-01'];

describe('kiosk host logs: redaction at any depth', () => {
  it('censors personal fields in nested objects, arrays and errors, and keeps ids and codes', () => {
    const { logger, lines } = capture();
    class CentreAnswerError extends Error {
      override readonly name = 'CentreAnswerError';
      readonly code = 'bad-response';
      readonly holder = { name: '山田 太郎', address: '東京都千代田区1-1' };
    }
    logger.info(
      {
        transactionId: 'tx-1',
        step: { card: { holder: { name: '山田 太郎', address: '東京都千代田区1-1' } } },
        members: [{ name: '山田 太郎' }],
        answers: [[{ pin: '1234' }, { myNumber: '123456789012' }], { person: { birthDate: '1990-01-01' } }],
        err: new CentreAnswerError('no resident 山田 太郎 at 東京都千代田区1-1'),
      },
      'issued',
    );
    expect(lines).toHaveLength(1);
    for (const value of PERSONAL) expect(lines[0]).not.toContain(value);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      transactionId: 'tx-1',
      step: { card: { holder: { name: '[redacted]', address: '[redacted]' } } },
      members: '[redacted]',
      answers: [[{ pin: '[redacted]' }, { myNumber: '[redacted]' }], { person: { birthDate: '[redacted]' } }],
      err: { type: 'CentreAnswerError', code: 'bad-response' },
      msg: 'issued',
    });
  });

  it('survives a cycle', () => {
    const { logger, lines } = capture();
    const a: Record<string, unknown> = { transactionId: 'tx-2' };
    a.self = a;
    logger.info({ a }, 'cycle');
    expect(JSON.parse(lines[0]!)).toMatchObject({ a: { transactionId: 'tx-2', self: '[cycle]' } });
  });
});
