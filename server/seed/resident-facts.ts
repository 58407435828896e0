import { createHash } from 'node:crypto';
import type { ResidentRecord } from '../db/records.ts';
import type { SeedResident } from './types.ts';

/**
 * The 住民票 facts the demo register keeps beside the seed's resident data: 住所を定めた年月日,
 * 届出日, 記載事由 and, for foreign residents, the 30条45規定区分, 在留資格 and 在留期間.
 * Derived deterministically (SHA-256 of the holder id), never from a clock.
 */

function pick(key: string, purpose: string, modulo: number): number {
  const digest = createHash('sha256').update(`${purpose}\u0000${key}`, 'utf8').digest();
  return digest.readUInt32BE(0) % modulo;
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-') as [string, string, string];
  return `${String(Number(y) + years).padStart(4, '0')}-${m}-${m === '02' && d === '29' ? '28' : d}`;
}

/** In-force residence statuses of the demo world, with their period of stay in years (0: none). */
const RESIDENCE_STATUSES: ReadonlyArray<[string, number]> = [
  ['技術・人文知識・国際業務', 5],
  ['永住者', 0],
  ['家族滞在', 3],
  ['留学', 1],
  ['特定技能1号', 1],
];

/** The register's day: 在留期間 are renewed until they run past it. */
const REGISTER_DAY = '2027-01-01';

export function foreignFactsOf(r: SeedResident): ResidentRecord['foreign'] {
  if (r.nationality === undefined) return undefined;
  if (r.nationality === '韓国' && pick(r.holderId, 'special-permanent', 2) === 0) {
    return { category: '特別永住者' };
  }
  const [residenceStatus, years] =
    RESIDENCE_STATUSES[pick(r.holderId, 'residence-status', RESIDENCE_STATUSES.length)]!;
  if (years === 0) return { category: '中長期在留者', residenceStatus };
  let expires = addYears(r.residentSince, years);
  while (expires < REGISTER_DAY) expires = addYears(expires, years);
  return { category: '中長期在留者', residenceStatus, periodOfStay: `${years}年`, stayExpiresOn: expires };
}

/** 住所を定めた年月日, 届出日 and 記載事由 of a seed resident. */
export function entryFactsOf(
  r: SeedResident,
): Pick<ResidentRecord, 'addressSince' | 'addressNotifiedOn' | 'entry'> {
  const bornHere = r.residentSince === r.birthDate;
  const notifiedOn = addDays(
    r.residentSince,
    bornHere ? 3 + pick(r.holderId, 'birth-notice', 11) : pick(r.holderId, 'move-notice', 14),
  );
  return {
    addressSince: r.residentSince,
    addressNotifiedOn: notifiedOn,
    entry: { reason: bornHere ? '出生' : '転入', date: notifiedOn },
  };
}
