/**
 * 1,000 generated residents in the three demo municipalities, after the 12 hand-written ones.
 * Deterministic: one seeded PRNG (mulberry32) drives every choice, so every run, process and
 * machine gets the same register, the same PINs and the same hard cases:
 * variant names (IVS, MJ-only characters), very long addresses, 8-person households, 旧氏 and
 * 通称, DV 支援措置, deceased, moved out, revoked and expired certificates, locked PINs, children
 * under 15, 本籍地 elsewhere (participating or not).
 */
import { municipalityCheckDigit } from './municipalities.ts';
import {
  BUILDINGS,
  ELSEWHERE,
  FEMALE_GIVEN_NAMES,
  FOREIGN_NAMES,
  LONG_BUILDINGS,
  MALE_GIVEN_NAMES,
  REGIONAL_SURNAMES,
  SURNAMES,
  TOWNS,
  VARIANT_GIVEN_NAMES,
  VARIANT_SURNAMES,
  type ForeignName,
  type Reading,
} from './generatedNames.ts';
import type { Honseki, LockedPin, SeedHousehold, SeedResident } from './types.ts';

export const GENERATED_RESIDENT_COUNT = 1000;
/** The first generated holder is H0013 (H0001–H0012 are hand-written). */
export const FIRST_GENERATED_HOLDER = 13;
/** Ages are reckoned against this date, so "under 15" holds for years whatever the clock says. */
export const SEED_REFERENCE_DATE = '2026-04-01';
const SEED = 0x4b4f4e42; // "KONB"

/** mulberry32: a small, well-known 32-bit PRNG; enough for test data, not for secrets. */
export class SeededRandom {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    const item = list[Math.floor(this.next() * list.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
}

const KANJI_DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const IROHA = ['イ', 'ロ', 'ハ', 'ニ', 'ホ', 'ヘ', 'ト', 'チ', 'リ', 'ヌ', 'ル'];
const PIN_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const REFERENCE_YEAR = Number(SEED_REFERENCE_DATE.slice(0, 4));

type Sex = '男' | '女';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function date(rng: SeededRandom, year: number): string {
  return `${year}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`;
}

/** A date between `from` (YYYY-MM-DD) and the reference date's year end − 1, never before `from`. */
function dateAfter(rng: SeededRandom, from: string, latestYear = REFERENCE_YEAR - 1): string {
  const fromYear = Number(from.slice(0, 4));
  const year = rng.int(Math.min(fromYear, latestYear), latestYear);
  const candidate = date(rng, year);
  return candidate < from ? from : candidate;
}

function ageOn(birthDate: string, reference = SEED_REFERENCE_DATE): number {
  const years = Number(reference.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return reference.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function codeWithCheckDigit(code5: string): string {
  return `${code5}${municipalityCheckDigit(code5)}`;
}

/** 1–99 in kanji numerals, as 丁目 are written. */
function kanjiNumber(n: number): string {
  if (n < 10) return KANJI_DIGITS[n] ?? String(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : KANJI_DIGITS[tens]}十${ones === 0 ? '' : KANJI_DIGITS[ones]}`;
}

interface Address {
  /** The lot (番地 / 街区) without any building: also used for 本籍. */
  lot: string;
  full: string;
}

function address(rng: SeededRandom, municipalityCode: string, long: boolean): Address {
  const towns = TOWNS[municipalityCode];
  if (!towns) throw new Error(`seed: no towns for ${municipalityCode}`);
  const town = rng.pick(towns.towns);
  let lot: string;
  if (towns.style === 'chome') {
    lot = `${towns.prefix}${town}${kanjiNumber(rng.int(1, 4))}丁目${rng.int(1, 28)}番${rng.int(1, 20)}号`;
  } else if (towns.style === 'banchi') {
    lot = rng.chance(0.4)
      ? `${towns.prefix}${town}${rng.pick(IROHA)}${rng.int(1, 150)}番地`
      : `${towns.prefix}${town}${rng.int(1, 40)}番地${rng.int(1, 99)}`;
  } else {
    lot =
      town.length > 4
        ? `${towns.prefix}${town}${rng.int(1, 4000)}番地`
        : `${towns.prefix}${town}${rng.int(1, 30)}街区${rng.int(1, 40)}号`;
  }
  if (long) {
    const building = rng.pick(LONG_BUILDINGS);
    return {
      lot,
      full: `${lot} ${building}${kanjiNumber(rng.int(2, 45))}階${rng.int(1, 20)}${pad2(rng.int(1, 12))}号室`,
    };
  }
  if (towns.style === 'chome' && rng.chance(0.6)) {
    // 東京都千代田区神田小川町一丁目8番3-502号: an apartment number joined to the 号.
    return { lot, full: `${lot.replace(/号$/, '')}-${rng.int(1, 14)}${pad2(rng.int(1, 12))}号` };
  }
  if (rng.chance(0.15))
    return {
      lot,
      full: `${lot} ${rng.pick(BUILDINGS)}${rng.pick(['A', 'B', '南', '北', '第一'])}${rng.int(1, 3)}0${rng.int(1, 9)}号`,
    };
  return { lot, full: lot };
}

function givenName(rng: SeededRandom, sex: Sex, birthYear: number): Reading {
  if (rng.chance(0.01)) return rng.pick(VARIANT_GIVEN_NAMES);
  if (sex === '男') {
    const pool =
      birthYear >= 2000
        ? MALE_GIVEN_NAMES.slice(20, 30)
        : [...MALE_GIVEN_NAMES.slice(0, 20), ...MALE_GIVEN_NAMES.slice(30)];
    return rng.pick(pool);
  }
  const pool =
    birthYear >= 2000
      ? FEMALE_GIVEN_NAMES.slice(15, 25)
      : birthYear < 1945
        ? FEMALE_GIVEN_NAMES.slice(25, 33)
        : [...FEMALE_GIVEN_NAMES.slice(0, 15), ...FEMALE_GIVEN_NAMES.slice(33)];
  return rng.pick(pool);
}

function surname(rng: SeededRandom, municipalityCode: string): Reading {
  if (rng.chance(0.05)) return rng.pick(VARIANT_SURNAMES);
  const regional = REGIONAL_SURNAMES[municipalityCode];
  if (regional && rng.chance(0.25)) return rng.pick(regional);
  return rng.pick(SURNAMES);
}

interface Person {
  surname: Reading;
  given: Reading;
  sex: Sex;
  birthDate: string;
  relationship: string;
  kyuuji?: string;
  foreign?: ForeignName;
}

type HouseholdKind =
  'single' | 'couple' | 'family' | 'three-generations' | 'single-parent' | 'foreign' | 'eight';

function householdKind(rng: SeededRandom): HouseholdKind {
  const x = rng.next();
  if (x < 0.33) return 'single';
  if (x < 0.55) return 'couple';
  if (x < 0.81) return 'family';
  if (x < 0.89) return 'three-generations';
  if (x < 0.95) return 'single-parent';
  return 'foreign';
}

function children(rng: SeededRandom, family: Reading, parentBirthYear: number, count: number): Person[] {
  const out: Person[] = [];
  let year = parentBirthYear + rng.int(23, 33);
  for (let i = 0; i < count && year <= REFERENCE_YEAR - 1; i++) {
    const sex: Sex = rng.chance(0.5) ? '男' : '女';
    out.push({
      surname: family,
      given: givenName(rng, sex, year),
      sex,
      birthDate: date(rng, year),
      relationship: '子',
    });
    year += rng.int(1, 4);
  }
  return out.sort((a, b) => a.birthDate.localeCompare(b.birthDate));
}

/** No two people of one household share a given name. */
function distinctGivenNames(rng: SeededRandom, household: Person[]): Person[] {
  const seen = new Set<string>();
  return household.map((p) => {
    let given = p.given;
    for (let tries = 0; seen.has(given.kanji) && !p.foreign && tries < 20; tries++) {
      given = givenName(rng, p.sex, Number(p.birthDate.slice(0, 4)));
    }
    seen.add(given.kanji);
    return { ...p, given };
  });
}

/** The people of one household, head first, in 住民票 order. */
function people(rng: SeededRandom, kind: HouseholdKind, municipalityCode: string): Person[] {
  return distinctGivenNames(rng, peopleDrafted(rng, kind, municipalityCode));
}

function peopleDrafted(rng: SeededRandom, kind: HouseholdKind, municipalityCode: string): Person[] {
  const family = surname(rng, municipalityCode);
  const headSex: Sex =
    kind === 'single' || kind === 'single-parent'
      ? rng.chance(0.5)
        ? '男'
        : '女'
      : rng.chance(0.85)
        ? '男'
        : '女';
  const headYear =
    kind === 'single'
      ? rng.int(1934, 2006)
      : kind === 'couple'
        ? rng.int(1940, 1998)
        : kind === 'three-generations' || kind === 'eight'
          ? rng.int(1966, 1988)
          : rng.int(1962, 1996);
  if (kind === 'foreign') {
    const head = rng.pick(FOREIGN_NAMES);
    const year = rng.int(1975, 2002);
    const out: Person[] = [
      {
        surname: head.surname,
        given: head.given,
        sex: head.sex,
        birthDate: date(rng, year),
        relationship: '世帯主',
        foreign: head,
      },
    ];
    const sex: Sex = head.sex === '男' ? '女' : '男';
    const partner =
      FOREIGN_NAMES.find((f) => f.nationality === head.nationality && f.sex === sex) ??
      FOREIGN_NAMES.find((f) => f.sex === sex);
    if (partner && rng.chance(0.5)) {
      out.push({
        surname: head.surname,
        given: partner.given,
        sex,
        birthDate: date(rng, year + rng.int(-4, 4)),
        relationship: sex === '女' ? '妻' : '夫',
        foreign: { ...partner, nationality: partner.nationality, tsusho: undefined },
      });
      const childNames = { 男: ['ケン', 'リク', 'ダン'], 女: ['アン', 'ミア', 'リサ'] } as const;
      const start = rng.int(0, 2);
      children(rng, head.surname, year, rng.int(0, 2)).forEach((child, i) => {
        const given = childNames[child.sex][(start + i) % 3] ?? 'ケン';
        out.push({ ...child, given: { kanji: given, kana: given }, foreign: { ...head, tsusho: undefined } });
      });
    }
    return out;
  }
  const head: Person = {
    surname: family,
    given: givenName(rng, headSex, headYear),
    sex: headSex,
    birthDate: date(rng, headYear),
    relationship: '世帯主',
  };
  const out: Person[] = [head];
  const withSpouse = kind !== 'single' && kind !== 'single-parent';
  if (withSpouse) {
    const sex: Sex = headSex === '男' ? '女' : '男';
    const year = Math.min(headYear + rng.int(-5, 5), REFERENCE_YEAR - 20);
    const married: Person = {
      surname: family,
      given: givenName(rng, sex, year),
      sex,
      birthDate: date(rng, year),
      relationship: sex === '女' ? '妻' : '夫',
    };
    // 旧氏 (since 2019 it may be recorded on the 住民票): the spouse's surname before marriage.
    if (rng.chance(0.35)) {
      const before = rng.pick(SURNAMES.filter((s) => s.kanji !== family.kanji));
      married.kyuuji = before.kanji;
    }
    out.push(married);
  }
  const childCount =
    kind === 'eight'
      ? 4
      : kind === 'family' || kind === 'three-generations'
        ? rng.int(1, 3)
        : kind === 'single-parent'
          ? rng.int(1, 2)
          : 0;
  out.push(...children(rng, family, headYear, childCount));
  if (kind === 'three-generations' || kind === 'eight') {
    const parentYear = headYear - rng.int(24, 34);
    const parents: Person[] = [
      {
        surname: family,
        given: givenName(rng, '男', parentYear),
        sex: '男',
        birthDate: date(rng, parentYear - rng.int(0, 3)),
        relationship: '父',
      },
      {
        surname: family,
        given: givenName(rng, '女', parentYear),
        sex: '女',
        birthDate: date(rng, parentYear),
        relationship: '母',
      },
    ];
    out.push(...(kind === 'eight' ? parents : [rng.pick(parents)]));
  }
  if (kind === 'eight' && out.length < 8) {
    // Fill up with grandchildren's generation missing years: a 孫 born to the first child.
    const first = out.find((p) => p.relationship === '子');
    const year = Math.min(Number((first ?? head).birthDate.slice(0, 4)) + 24, REFERENCE_YEAR - 1);
    while (out.length < 8) {
      const sex: Sex = rng.chance(0.5) ? '男' : '女';
      out.push({
        surname: family,
        given: givenName(rng, sex, year),
        sex,
        birthDate: date(rng, year),
        relationship: '孫',
      });
    }
  }
  return out;
}

function pinFor(rng: SeededRandom): { authPin: string; signingPin: string } {
  const authPin = String(rng.int(0, 9999)).padStart(4, '0');
  const length = rng.int(8, 12);
  let signingPin = '';
  for (let i = 0; i < length; i++) signingPin += rng.pick([...PIN_ALPHABET]);
  return { authPin, signingPin };
}

function honsekiFor(rng: SeededRandom, municipalityCode: string, home: Address, hittousha: string): Honseki {
  const x = rng.next();
  if (x < 0.62) {
    return {
      municipalityCode,
      address: rng.chance(0.7) ? home.lot : address(rng, municipalityCode, false).lot,
      hittousha,
      kioskRegistration: false,
    };
  }
  if (x < 0.88) {
    // 住≠本 within the demo: 本籍 in a municipality that issues 戸籍 to non-residents.
    const other = ['131016', '452025'].filter((c) => c !== municipalityCode);
    const code = rng.pick(other);
    return {
      municipalityCode: code,
      address: address(rng, code, false).lot,
      hittousha,
      kioskRegistration: rng.chance(0.5),
    };
  }
  const place = rng.pick(ELSEWHERE);
  return {
    municipalityCode: codeWithCheckDigit(place.code5),
    address: place.address,
    hittousha,
    kioskRegistration: false,
  };
}

function joinName(p: Person): { name: string; nameKana: string } {
  return { name: `${p.surname.kanji} ${p.given.kanji}`, nameKana: `${p.surname.kana} ${p.given.kana}` };
}

export interface GeneratedWorld {
  households: SeedHousehold[];
  residents: SeedResident[];
}

/** The generated part of the register. Pure: the same output on every call. */
export function generateResidents(count = GENERATED_RESIDENT_COUNT, seed = SEED): GeneratedWorld {
  const rng = new SeededRandom(seed);
  const households: SeedHousehold[] = [];
  const residents: SeedResident[] = [];
  const codes = [
    '131016',
    '131016',
    '131016',
    '131016',
    '172065',
    '172065',
    '172065',
    '452025',
    '452025',
    '452025',
  ];
  let householdNumber = 0;
  while (residents.length < count) {
    householdNumber++;
    const householdId = `HG${String(householdNumber).padStart(4, '0')}`;
    const municipalityCode =
      householdNumber <= 3 ? ['131016', '172065', '452025'][householdNumber - 1]! : rng.pick(codes);
    // The first household of each municipality is an 8-person one; after that by frequency.
    const kind: HouseholdKind = householdNumber <= 3 ? 'eight' : householdKind(rng);
    const home = address(rng, municipalityCode, rng.chance(0.03));
    households.push({ householdId, municipalityCode, address: home.full });

    const members = people(rng, kind, municipalityCode).slice(0, count - residents.length);
    const head = members[0]!;
    const headName = joinName(head).name;
    const honseki = head.foreign ? undefined : honsekiFor(rng, municipalityCode, home, headName);
    const dvBlock = rng.chance(0.025);
    const wholeHouseholdMovedOut = members.length === 1 && rng.chance(0.03);
    const headSince = dateAfter(rng, `${Number(head.birthDate.slice(0, 4)) + 18}${head.birthDate.slice(4)}`);
    const previousAddress = rng.chance(0.5)
      ? rng.chance(0.5)
        ? rng.pick(ELSEWHERE).address
        : address(rng, municipalityCode, false).full
      : undefined;

    members.forEach((person, index) => {
      const holderNumber = FIRST_GENERATED_HOLDER + residents.length;
      const age = ageOn(person.birthDate);
      const born = person.birthDate;
      const residentSince = born > headSince ? born : index === 0 ? headSince : dateAfter(rng, headSince);
      let status: SeedResident['status'] = 'resident';
      if (wholeHouseholdMovedOut) status = 'moved-out';
      else if (
        index > 0 &&
        (person.relationship === '父' || person.relationship === '母') &&
        age >= 78 &&
        rng.chance(0.5)
      )
        status = 'deceased';
      else if (index === 0 && members.length === 1 && age >= 80 && rng.chance(0.25)) status = 'deceased';
      else if (index > 0 && person.relationship === '子' && age >= 18 && rng.chance(0.1))
        status = 'moved-out';

      let condition: SeedResident['card']['condition'] = 'valid';
      if (status === 'deceased' || (status === 'moved-out' && rng.chance(0.5))) condition = 'revoked';
      else if (rng.chance(0.012))
        condition = 'revoked'; // lost card, suspended
      else if (rng.chance(0.025)) condition = 'expired';

      const locked = rng.next();
      const lockedPins: LockedPin[] | undefined =
        locked < 0.012
          ? ['auth']
          : locked < 0.017
            ? ['signing']
            : locked < 0.021
              ? ['auth', 'signing']
              : undefined;

      const { name, nameKana } = joinName(person);
      const resident: SeedResident = {
        holderId: `H${String(holderNumber).padStart(4, '0')}`,
        householdId,
        municipalityCode,
        householdOrder: index + 1,
        name,
        nameKana,
        birthDate: born,
        sex: person.sex,
        relationship: person.relationship,
        residentSince,
        status,
        dvBlock,
        inkanRegistered: age >= 15 && rng.chance(0.55),
        card: {
          condition,
          hasSigningCertificate: age >= 15,
          ...pinFor(rng),
          ...(lockedPins ? { lockedPins } : {}),
        },
      };
      if (residentSince !== born && previousAddress) resident.previousAddress = previousAddress;
      if (person.kyuuji) resident.kyuuji = person.kyuuji;
      if (person.foreign) {
        resident.nationality = person.foreign.nationality;
        if (person.foreign.tsusho) resident.tsusho = person.foreign.tsusho;
      } else if (honseki) {
        resident.honseki = { ...honseki };
      }
      residents.push(resident);
    });
  }
  return { households, residents };
}
