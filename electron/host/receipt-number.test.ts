import { describe, expect, it } from 'vitest';
import { receiptNumberOf } from './receipt-number.ts';

describe('受付番号', () => {
  it('is 8 digits, the same for the same transaction', () => {
    const id = '3f2b8c1e-9a4d-4e7f-8b21-6c5d4e3f2a10';
    expect(receiptNumberOf(id)).toMatch(/^[0-9]{8}$/);
    expect(receiptNumberOf(id)).toBe(receiptNumberOf(id));
  });

  it('tells transactions apart', () => {
    const ids = Array.from(
      { length: 500 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    expect(new Set(ids.map(receiptNumberOf)).size).toBe(ids.length);
  });
});
