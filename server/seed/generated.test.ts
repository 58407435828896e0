import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as fontkit from 'fontkit';
import {
  GENERATED_RESIDENT_COUNT,
  SEED_REFERENCE_DATE,
  SeededRandom,
  generateResidents,
} from './generated.ts';
import { SEED_RESIDENTS } from './residents.ts';
import { cardListRows, isValidMunicipalityCode, loadSeedWorld } from './index.ts';
import { ResidentRecordSchema, HouseholdRecordSchema } from '../db/records.ts';
import { residentRecordOf } from '../db/seedLoader.ts';

const world = loadSeedWorld();
const generated = world.residents.slice(SEED_RESIDENTS.length);
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function byHouseholdOf<T extends { householdId: string }>(residents: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of residents) out.set(r.householdId, [...(out.get(r.householdId) ?? []), r]);
  return out;
}

function ageOn(birthDate: string, reference: string): number {
  const years = Number(reference.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return reference.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

describe('generated residents', () => {
  it('are at least 1,000, after the 12 hand-written residents, which stay unchanged', () => {
    expect(generated).toHaveLength(GENERATED_RESIDENT_COUNT);
    expect(world.residents.slice(0, SEED_RESIDENTS.length)).toEqual(SEED_RESIDENTS);
    expect(generated[0]?.holderId).toBe('H0013');
    expect(cardListRows()).toHaveLength(SEED_RESIDENTS.length + GENERATED_RESIDENT_COUNT);
  });

  it('are the same on every call and depend only on the seed', () => {
    expect(digest(generateResidents())).toBe(digest(generateResidents()));
    expect(digest(generateResidents(50, 7))).not.toBe(digest(generateResidents(50, 8)));
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const draws = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(draws);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(draws).size).toBe(100);
  });

  it('fit the register schema, with unique ids and consistent households', () => {
    const ids = new Set(world.residents.map((r) => r.holderId));
    expect(ids.size).toBe(world.residents.length);
    const households = new Map(world.households.map((h) => [h.householdId, h]));
    expect(households.size).toBe(world.households.length);
    for (const h of world.households)
      expect(HouseholdRecordSchema.safeParse(h).success, h.householdId).toBe(true);
    for (const r of generated) {
      expect(ResidentRecordSchema.safeParse(residentRecordOf(r)).success, r.holderId).toBe(true);
      expect(households.get(r.householdId)?.municipalityCode).toBe(r.municipalityCode);
      expect(r.holderId).toMatch(/^H\d{4}$/);
      expect(r.card.authPin).toMatch(/^\d{4}$/);
      expect(r.card.signingPin).toMatch(/^[A-Z0-9]{6,16}$/);
      expect(r.nameKana).toMatch(/^[\u30A0-\u30FF ]+$/); // katakana and spaces
      expect(r.residentSince >= r.birthDate, r.holderId).toBe(true);
      if (r.honseki)
        expect(isValidMunicipalityCode(r.honseki.municipalityCode), r.honseki.municipalityCode).toBe(true);
    }
    // One head per household, numbered 1..n, no repeated name within a household.
    const byHousehold = byHouseholdOf(generated);
    for (const [id, members] of byHousehold) {
      expect(
        members.map((m) => m.householdOrder),
        id,
      ).toEqual(members.map((_, i) => i + 1));
      expect(
        members.filter((m) => m.relationship === '世帯主'),
        id,
      ).toHaveLength(1);
      expect(new Set(members.map((m) => m.name)).size, id).toBe(members.length);
    }
  });

  it('spread over the three municipalities', () => {
    for (const m of world.municipalities) {
      expect(generated.filter((r) => r.municipalityCode === m.code).length, m.code).toBeGreaterThan(200);
    }
  });

  it('cover every hard case several times', () => {
    const count = (f: (r: (typeof generated)[number]) => boolean) => generated.filter(f).length;
    const sizes = byHouseholdOf(generated);
    expect([...sizes.values()].filter((m) => m.length === 8).length).toBeGreaterThanOrEqual(3);
    expect(count((r) => /[\u{E0100}-\u{E01EF}]/u.test(r.name))).toBeGreaterThanOrEqual(3); // IVS
    expect(count((r) => r.kyuuji !== undefined)).toBeGreaterThanOrEqual(10);
    expect(count((r) => r.tsusho !== undefined && r.nationality !== undefined)).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.dvBlock)).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.status === 'deceased')).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.status === 'moved-out')).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.card.condition === 'revoked' && r.status === 'resident')).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.card.condition === 'expired')).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.card.lockedPins?.includes('auth') === true)).toBeGreaterThanOrEqual(3);
    expect(count((r) => r.card.lockedPins?.includes('signing') === true)).toBeGreaterThanOrEqual(3);
    expect(count((r) => ageOn(r.birthDate, SEED_REFERENCE_DATE) < 15)).toBeGreaterThanOrEqual(30);
    expect(
      count((r) => r.honseki !== undefined && r.honseki.municipalityCode !== r.municipalityCode),
    ).toBeGreaterThanOrEqual(10);
    // 本籍 in a municipality outside the demo (not participating).
    const demo = new Set(world.municipalities.map((m) => m.code));
    expect(
      count((r) => r.honseki !== undefined && !demo.has(r.honseki.municipalityCode)),
    ).toBeGreaterThanOrEqual(3);
    expect(world.households.filter((h) => h.address.length >= 70).length).toBeGreaterThanOrEqual(3);
  });

  it('give no 署名用 certificate and no 印鑑登録 to children under 15', () => {
    for (const r of generated.filter((x) => ageOn(x.birthDate, SEED_REFERENCE_DATE) < 15)) {
      expect(r.card.hasSigningCertificate, r.holderId).toBe(false);
      expect(r.inkanRegistered, r.holderId).toBe(false);
    }
  });

  it('include names only the MJ 明朝 font can draw, and the font draws every name', () => {
    const mj = fontkit.openSync('/usr/share/fonts/truetype/ipamj/ipamjm.ttf') as fontkit.Font;
    const ipaex = fontkit.openSync('/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf') as fontkit.Font;
    const isVariationSelector = (cp: number) => cp >= 0xe0100 && cp <= 0xe01ef;
    const codePoints = (s: string) =>
      [...s].map((c) => c.codePointAt(0)!).filter((cp) => cp !== 0x20 && !isVariationSelector(cp));
    for (const r of world.residents) {
      for (const cp of codePoints(r.name))
        expect(mj.hasGlyphForCodePoint(cp), `${r.holderId} U+${cp.toString(16)}`).toBe(true);
    }
    const mjOnly = generated.filter((r) => codePoints(r.name).some((cp) => !ipaex.hasGlyphForCodePoint(cp)));
    expect(mjOnly.length).toBeGreaterThanOrEqual(3);
  });
});

describe('card list', () => {
  it('marks expired and revoked cards and locked PINs, and nothing on ordinary cards', () => {
    const rows = new Map(cardListRows().map((r) => [r.holderId, r]));
    for (const r of world.residents) {
      const row = rows.get(r.holderId)!;
      expect(row.condition, r.holderId).toBe(r.card.condition === 'valid' ? undefined : r.card.condition);
      expect(row.lockedPins, r.holderId).toEqual(r.card.lockedPins);
    }
    expect(rows.get('H0006')?.condition).toBe('expired');
    expect(rows.get('H0001')).not.toHaveProperty('condition');
  });
});
