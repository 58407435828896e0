import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { schemaProblems, type PrintProblem } from '../../certificate-templates/printable.ts';
import { CertificateDocumentSchema } from '../../protocol/documents.ts';
import { holderBindingFor } from '../../protocol/seal.ts';
import type { MunicipalityRecord, ResidentRecord } from '../db/records.ts';
import { loadSeedWorld } from '../seed/index.ts';
import {
  buildJuminhyoDocument,
  certifiedDocument,
  newHolderBinding,
  type DocumentFrame,
} from './juminhyo.ts';

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

describe('the contract check of a built document', () => {
  const world = loadSeedWorld();
  const householdOf = (id: string) => world.households.find((h) => h.householdId === id)!;
  const residentsOf = (id: string) => world.residents.filter((r) => r.householdId === id);

  it('gives the document zod’s parse would give, for the seeded households', () => {
    for (const household of world.households.slice(0, 200)) {
      const members = residentsOf(household.householdId);
      if (members.length === 0) continue;
      const document = buildJuminhyoDocument({ ...frame, household, members });
      expect(document).toStrictEqual(CertificateDocumentSchema.parse(document));
    }
  });

  /** The problems certify would report for a resident row changed by `change`. */
  function problemsWith(change: Partial<ResidentRecord>): PrintProblem[] {
    const resident = world.residents[0]!;
    const input = {
      ...frame,
      household: householdOf(resident.householdId),
      members: [{ ...resident, ...change }],
      householdHead: resident.name,
    };
    try {
      buildJuminhyoDocument(input);
    } catch (error) {
      expect(error).toBeInstanceOf(ZodError);
      return schemaProblems((error as ZodError).issues);
    }
    throw new Error('the document was built');
  }

  it('still refuses bad register data with zod’s problems: an empty name, a malformed date', () => {
    expect(problemsWith({ name: '' })).toEqual([
      { reason: 'required-missing', field: 'content.members[0].name' },
    ]);
    expect(problemsWith({ birthDate: '1950-02-30' })).toEqual([
      { reason: 'invalid', field: 'content.members[0].birthDate' },
    ]);
    expect(problemsWith({ name: '𠮷'.repeat(65), residentSince: '2015-4-1' })).toEqual([
      { reason: 'invalid', field: 'content.members[0].name' },
      { reason: 'invalid', field: 'content.members[0].residentSince' },
    ]);
  });
});
