import { describe, expect, it } from 'vitest';
import { holderBindingFor } from '../../protocol/seal.ts';
import type { MunicipalityRecord } from '../db/records.ts';
import { loadSeedWorld } from '../seed/index.ts';
import { certifiedDocument, newHolderBinding, type DocumentFrame } from './juminhyo.ts';

const FINGERPRINT = 'ab'.repeat(32);
const municipality = loadSeedWorld().municipalities[0] as MunicipalityRecord;
const frame: DocumentFrame = {
  transactionId: '3c9d2b1e-8a4b-4c1e-9a55-3f1f1d2a9b42',
  municipality,
  certificateFingerprint: FINGERPRINT,
  now: new Date('2026-11-25T03:00:00Z'),
};
const content = {
  kind: 'nozei' as const,
  fiscalYear: 2026,
  name: '山田\u3000花子',
  address: '宮崎県都城市姫城町6街区21号',
  items: [{ taxItem: '市県民税（普通徴収）', assessedYen: 10_000, paidYen: 10_000, unpaidYen: 0 }],
};

describe('the holder binding of a certified document', () => {
  it('is a fresh salt and the binding of the certificate under it, per document by default', () => {
    const a = certifiedDocument(frame, content);
    const b = certifiedDocument(frame, content);
    expect(a.holderSalt).not.toBe(b.holderSalt);
    expect(a.holderBinding).toBe(holderBindingFor(a.holderSalt, FINGERPRINT));
    expect(b.holderBinding).toBe(holderBindingFor(b.holderSalt, FINGERPRINT));
  });

  it('is the frame’s when the frame brings one (documents checked and dropped)', () => {
    const holder = newHolderBinding(FINGERPRINT);
    expect(holder.holderBinding).toBe(holderBindingFor(holder.holderSalt, FINGERPRINT));
    expect(newHolderBinding(FINGERPRINT).holderSalt).not.toBe(holder.holderSalt);
    const document = certifiedDocument({ ...frame, holder }, content);
    expect([document.holderSalt, document.holderBinding]).toEqual([holder.holderSalt, holder.holderBinding]);
  });
});
