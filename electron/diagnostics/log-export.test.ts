import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHostLogger } from '../host/logger.ts';
import { createLogRing, redactedLogExport, redactLogLine } from './log-export.ts';

/** What must never leave the kiosk: a PIN, an operator PIN, a name, a reading, an address, a My Number, a birth date. */
const PERSONAL = [
  '4821',
  '246810',
  '山田 太郎',
  'ヤマダ タロウ',
  'Yamada Taro',
  '千代田区千代田1-1',
  '123456789018',
  '1990-01-01',
];

describe('redacted log export', () => {
  it('keeps ids, codes and states, and nothing personal even when a log line carried it by mistake', () => {
    const ring = createLogRing();
    const sink = new Writable({ write: (_c, _e, done) => done() });
    const logger = createHostLogger({ level: 'info', destination: sink, also: ring.stream });
    const transactionId = '0b0f6f0e-8d7a-4b8e-9c39-3f0c2d5f6a11';
    logger.info(
      { transaction: { kind: 'started', transactionId }, receiptNumber: '12345678' },
      'transaction started',
    );
    // Mistakes a developer could make: personal data in fields the logger does not know, in the message, in an error.
    logger.info(
      { transactionId, holder: 'Yamada Taro', note: '千代田区千代田1-1', digits: 4821 },
      'pin 4821 entered for 山田 太郎',
    );
    logger.warn(
      { operatorPin: '246810', code: 'pin-wrong', state: 'ヤマダ タロウ' },
      'operator pin 246810 wrong',
    );
    logger.error(
      { err: Object.assign(new Error('resident 123456789018 born 1990-01-01'), { code: 'bad-response' }) },
      'centre failed',
    );
    logger.info({ transactionId: 'not-a-uuid 123456789018', refundedYen: 300 }, 'refunded');
    const exported = redactedLogExport(ring.lines());
    for (const value of PERSONAL) expect(exported).not.toContain(value);
    const lines = exported
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    // No run of 4 or more digits anywhere but the time, the transaction id and the 受付番号.
    for (const line of lines)
      for (const [key, value] of Object.entries(line))
        if (!['time', 'transactionId', 'receiptNumber'].includes(key))
          expect(JSON.stringify(value)).not.toMatch(/[0-9]{4,}/);
    expect(lines[0]).toMatchObject({
      msg: 'transaction started',
      kind: 'started',
      transactionId,
      receiptNumber: '12345678',
    });
    expect(lines[1]).toMatchObject({ transactionId, msg: 'pin #### entered for ?? ??' });
    expect(lines[1]).not.toHaveProperty('holder');
    expect(lines[1]).not.toHaveProperty('note');
    expect(lines[2]).toMatchObject({ code: 'pin-wrong', state: '??? ???' });
    expect(lines[2]).not.toHaveProperty('operatorPin');
    expect(lines[3]).toMatchObject({ msg: 'centre failed' });
    expect(lines[4]).toMatchObject({ refundedYen: 300 });
    expect(lines[4]).not.toHaveProperty('transactionId');
  });

  it('drops lines that are not JSON objects, and keeps the ring bounded', () => {
    expect(redactLogLine('山田 太郎 4821')).toBeUndefined();
    expect(redactLogLine('[1,2]')).toBeUndefined();
    const ring = createLogRing(3);
    for (let i = 0; i < 5; i++) ring.stream.write(`{"msg":"line ${i}"}\n`);
    expect(ring.lines()).toEqual(['{"msg":"line 2"}', '{"msg":"line 3"}', '{"msg":"line 4"}']);
  });
});
