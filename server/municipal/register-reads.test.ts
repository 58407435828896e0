import { describe, expect, it } from 'vitest';
import type { ResidentRecord } from '../db/records.ts';
import type { InkanRegistration, KosekiRecord, TaxAssessment } from '../seed/types.ts';
import { readsOnce } from './register-reads.ts';

/** A repository and register store that count every read and answer a fresh object each time. */
function countingSources() {
  const calls: string[] = [];
  const repository = {
    listHouseholdMembers: async (householdId: string) => {
      calls.push(`members ${householdId}`);
      return [{ holderId: `${householdId}-1` } as ResidentRecord];
    },
  };
  const registers = {
    inkanOf: async (holderId: string) => {
      calls.push(`inkan ${holderId}`);
      return { holderId } as InkanRegistration;
    },
    taxAssessment: async (holderId: string, fiscalYear: number) => {
      calls.push(`tax ${holderId} ${fiscalYear}`);
      return { holderId, fiscalYear } as TaxAssessment;
    },
    kosekiOf: async (kosekiId: string) => {
      calls.push(`koseki ${kosekiId}`);
      return kosekiId === 'none' ? undefined : ({ kosekiId } as KosekiRecord);
    },
    fuhyoOf: async (holderId: string) => {
      calls.push(`fuhyo ${holderId}`);
      return undefined;
    },
  };
  return { calls, repository, registers };
}

describe('register reads once per request', () => {
  it('reads each thing once and answers every later ask with that read', async () => {
    const { calls, repository, registers } = countingSources();
    const reads = readsOnce(repository, registers);
    const [a, b] = await Promise.all([reads.listHouseholdMembers('HH1'), reads.listHouseholdMembers('HH1')]);
    expect(a).toBe(b);
    await reads.listHouseholdMembers('HH2');
    expect(await reads.taxAssessment('H1', 2025)).toBe(await reads.taxAssessment('H1', 2025));
    expect((await reads.taxAssessment('H1', 2024))?.fiscalYear).toBe(2024);
    expect(await reads.kosekiOf('none')).toBeUndefined();
    expect(await reads.kosekiOf('none')).toBeUndefined();
    await reads.fuhyoOf('H1');
    await reads.fuhyoOf('H1');
    await reads.inkanOf('H1');
    await reads.inkanOf('H1');
    expect(calls).toEqual([
      'members HH1',
      'members HH2',
      'tax H1 2025',
      'tax H1 2024',
      'koseki none',
      'fuhyo H1',
      'inkan H1',
    ]);
  });

  it('answers the 印鑑登録 the request already read without reading it again, for that resident only', async () => {
    const { calls, repository, registers } = countingSources();
    const known = { holderId: 'H1', status: 'registered' } as InkanRegistration;
    const reads = readsOnce(repository, registers, { inkan: { holderId: 'H1', registration: known } });
    expect(await reads.inkanOf('H1')).toBe(known);
    expect(await reads.inkanOf('H2')).toEqual({ holderId: 'H2' });
    expect(calls).toEqual(['inkan H2']);
  });

  it('keeps separate requests apart: a new view reads again', async () => {
    const { calls, repository, registers } = countingSources();
    await readsOnce(repository, registers).kosekiOf('K1');
    await readsOnce(repository, registers).kosekiOf('K1');
    expect(calls).toEqual(['koseki K1', 'koseki K1']);
  });

  it('does not remember a failed read', async () => {
    const { repository, registers } = countingSources();
    let failures = 1;
    const flaky = {
      ...registers,
      kosekiOf: async (kosekiId: string) => {
        if (failures-- > 0) throw new Error('database busy');
        return { kosekiId } as KosekiRecord;
      },
    };
    const reads = readsOnce(repository, flaky);
    await expect(reads.kosekiOf('K1')).rejects.toThrow('database busy');
    expect(await reads.kosekiOf('K1')).toEqual({ kosekiId: 'K1' });
  });
});
