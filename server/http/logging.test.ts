import { describe, expect, it } from 'vitest';
import type { KioskService } from '../kioskService.ts';
import { buildCentreHttpApp } from './app.ts';

const TX = '0b5e3f7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('centre logs: redaction at any depth', () => {
  it('a failure quoting personal data is logged by type and transaction id only', async () => {
    const lines: string[] = [];
    const failing = async () => {
      const error = new Error('resident 山田 太郎 of 東京都千代田区1-1 has no 印鑑登録');
      Object.assign(error, { detail: { holder: { name: '山田 太郎' } } });
      throw error;
    };
    const service = { challenge: failing } as unknown as KioskService;
    const app = buildCentreHttpApp(service, {
      logger: { level: 'info', stream: { write: (l) => lines.push(l) } },
    });
    try {
      const answer = await app.inject({
        method: 'POST',
        url: '/v1/challenge',
        payload: { transactionId: TX, terminalId: 'S0001-T01' },
      });
      expect(answer.statusCode).toBe(500);
    } finally {
      await app.close();
    }
    const failure = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'centre failure');
    expect(failure).toMatchObject({ transactionId: TX, err: { type: 'Error' } });
    expect(lines.join('\n')).not.toMatch(/山田|千代田/);
  });
});
