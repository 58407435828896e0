import { describe, expect, it } from 'vitest';
import { cardListRows, isValidMunicipalityCode, loadSeedWorld } from './index.ts';
import { CERTIFICATE_TYPES } from '../../protocol/certificate-types.ts';
import { MunicipalitySchema } from '../../protocol/documents.ts';

const world = loadSeedWorld();

describe('seed world', () => {
  it('has three municipalities with valid codes, fees 200–450 and one offering every type', () => {
    expect(world.municipalities).toHaveLength(3);
    for (const m of world.municipalities) {
      expect(isValidMunicipalityCode(m.code), m.code).toBe(true);
      expect(MunicipalitySchema.safeParse(m).success).toBe(true);
      for (const offering of Object.values(m.offerings)) {
        expect(offering.feeYen).toBeGreaterThanOrEqual(200);
        expect(offering.feeYen).toBeLessThanOrEqual(450);
      }
    }
    expect(world.municipalities.some((m) => CERTIFICATE_TYPES.every((t) => m.offerings[t]))).toBe(true);
    expect(
      world.municipalities.some((m) => Object.keys(m.offerings).sort().join() === 'inkan,juminhyo'),
    ).toBe(true);
  });

  it('rejects a code with a wrong check digit', () => {
    expect(isValidMunicipalityCode('131017')).toBe(false);
    expect(isValidMunicipalityCode('141003')).toBe(true); // 横浜市
  });

  it('has unique holder ids, valid PINs and consistent households', () => {
    const ids = world.residents.map((r) => r.holderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(world.residents.length).toBeGreaterThanOrEqual(12);
    for (const r of world.residents) {
      expect(r.holderId).toMatch(/^H\d{4}$/);
      expect(r.card.authPin).toMatch(/^\d{4}$/);
      expect(r.card.signingPin).toMatch(/^[A-Z0-9]{6,16}$/);
      const household = world.households.find((h) => h.householdId === r.householdId);
      expect(household?.municipalityCode).toBe(r.municipalityCode);
    }
  });

  it('covers the hard cases', () => {
    const sizes = new Map<string, number>();
    for (const r of world.residents) sizes.set(r.householdId, (sizes.get(r.householdId) ?? 0) + 1);
    expect(Math.max(...sizes.values())).toBeGreaterThanOrEqual(4);
    expect(world.residents.some((r) => r.kyuuji)).toBe(true);
    expect(world.residents.some((r) => r.tsusho && r.nationality)).toBe(true);
    expect(world.residents.some((r) => r.status === 'moved-out')).toBe(true);
    expect(world.residents.some((r) => r.status === 'deceased')).toBe(true);
    expect(world.residents.some((r) => r.dvBlock)).toBe(true);
    expect(world.residents.some((r) => r.birthDate > '2011-12-31')).toBe(true);
    expect(world.residents.some((r) => r.card.condition === 'expired')).toBe(true);
    expect(world.residents.some((r) => r.card.condition === 'revoked')).toBe(true);
    expect(world.residents.some((r) => r.honseki && r.honseki.municipalityCode !== r.municipalityCode)).toBe(
      true,
    );
  });

  it('lists cards as holderId, name, municipality, authPin, signingPin', () => {
    const rows = cardListRows();
    expect(rows).toHaveLength(world.residents.length);
    expect(rows[0]).toEqual({
      holderId: 'H0001',
      name: '山田 太郎',
      municipality: '千代田区',
      authPin: '1234',
      signingPin: 'YAMADA2026',
    });
  });

  it('returns an independent copy each time', () => {
    const a = loadSeedWorld();
    a.residents[0]!.name = 'changed';
    expect(loadSeedWorld().residents[0]!.name).toBe('山田 太郎');
  });
});
