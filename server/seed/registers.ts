import { createHash } from 'node:crypto';
import type {
  FuhyoRecord,
  InkanRegistration,
  KosekiEventRecord,
  KosekiPersonRecord,
  KosekiRecord,
  KosekiUseRegistration,
  SeedHousehold,
  SeedRegisters,
  SeedResident,
  SeedWorld,
  TaxAssessment,
} from './types.ts';
import { sealImpressionPng } from './registers-seal-image.ts';

/**
 * The municipal registers of the demo world — 印鑑登録, 課税・納税, 戸籍, 戸籍の附票 — generated
 * from the resident records alone, so they apply to hand-written and generated residents alike.
 * Deterministic: every number comes from SHA-256 of the holder id (or 戸籍 id), never from a clock.
 */

/** Fiscal years (年度) on the tax register. */
export const SEED_FISCAL_YEARS: readonly number[] = [2022, 2023, 2024, 2025, 2026];

/** Registered impressions are kept at 400 ppi at their real size, enough for 印鑑照合 on paper. */
export const SEAL_IMAGE_PPI = 400;

/** A stable pseudo-random integer in [0, modulo) for (key, purpose). */
function pick(key: string, purpose: string, modulo: number): number {
  const digest = createHash('sha256').update(`${purpose}\u0000${key}`, 'utf8').digest();
  return digest.readUInt32BE(0) % modulo;
}

function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-') as [string, string, string];
  const day = m === '02' && d === '29' ? '28' : d;
  return `${String(Number(y) + years).padStart(4, '0')}-${m}-${day}`;
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** 「宮崎県都城市」 from 「宮崎県都城市姫城町3街区1号」. */
export function placeOf(address: string): string {
  const match = /^(.+?[都道府県])?(.+?[市区町村])/.exec(address);
  return match ? `${match[1] ?? ''}${match[2] ?? ''}` : address;
}

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 「神奈川県横浜市港北区日吉本町一丁目5番」 from an address: up to its 番 (a 本籍 is a 地番). */
function blockOf(address: string): string {
  const match = /^(.+?番(地)?)/.exec(address);
  return match?.[1] ?? address;
}

function surnameOf(name: string): string {
  return name.split(/[\s\u3000]/)[0] ?? name;
}

// ── 印鑑登録 ────────────────────────────────────────────────────────────────────────────────

/**
 * The resident's 印鑑登録: registered when the resident record says so; an adult without one has,
 * for some residents, an abolished (廃止) registration on file; otherwise none.
 */
export function inkanRegistrationFor(resident: SeedResident): InkanRegistration | undefined {
  const registeredOn = laterOf(addYears(resident.birthDate, 18), resident.residentSince);
  const adult = ageOn(resident.birthDate, '2026-01-01') >= 18;
  const abolished = !resident.inkanRegistered && adult && pick(resident.holderId, 'inkan-abolished', 2) === 0;
  if (!resident.inkanRegistered && !abolished) return undefined;
  const registrationNumber = String(100_000 + pick(resident.holderId, 'inkan-number', 900_000));
  const sealSizeMm = 15 + pick(resident.holderId, 'inkan-size', 4) * 1.5;
  const sealImagePx = Math.ceil((sealSizeMm / 25.4) * SEAL_IMAGE_PPI);
  const sealDesign = `${resident.holderId}/${registrationNumber}`;
  const base: InkanRegistration = {
    holderId: resident.holderId,
    municipalityCode: resident.municipalityCode,
    registrationNumber,
    registeredOn,
    status: abolished ? 'abolished' : 'registered',
    // Stored as a real register stores the scan: drawn once here, not inside a kiosk's request.
    sealImagePng: sealImpressionPng(sealDesign, sealImagePx),
    sealDesign,
    sealImagePx,
    sealSizeMm,
  };
  return abolished ? { ...base, abolishedOn: laterOf(addYears(registeredOn, 3), '2020-04-01') } : base;
}

// ── 課税・納税 ──────────────────────────────────────────────────────────────────────────────

/** 給与所得 from 給与収入 (給与所得控除, 令和2年分以降). */
export function salaryIncomeOf(revenue: number): number {
  if (revenue <= 550_999) return 0;
  if (revenue <= 1_624_999) return revenue - 550_000;
  if (revenue <= 1_799_999) return Math.floor(revenue * 0.6) + 100_000;
  if (revenue <= 3_599_999) return Math.floor(revenue * 0.7) - 80_000;
  if (revenue <= 6_599_999) return Math.floor(revenue * 0.8) - 440_000;
  if (revenue <= 8_499_999) return Math.floor(revenue * 0.9) - 1_100_000;
  return revenue - 1_950_000;
}

/** 公的年金等に係る雑所得 for a person 65 or older (other income ≤ 10 million). */
export function pensionIncomeOf(revenue: number): number {
  if (revenue <= 1_100_000) return 0;
  if (revenue <= 3_299_999) return revenue - 1_100_000;
  if (revenue <= 4_099_999) return Math.floor(revenue * 0.75) - 275_000;
  if (revenue <= 7_699_999) return Math.floor(revenue * 0.85) - 685_000;
  return Math.floor(revenue * 0.95) - 1_455_000;
}

const floorTo = (value: number, unit: number) => Math.floor(value / unit) * unit;

function assessmentFor(
  resident: SeedResident,
  household: SeedHousehold,
  householdMembers: readonly SeedResident[],
  fiscalYear: number,
): TaxAssessment | undefined {
  const assessmentDay = `${fiscalYear}-01-01`;
  if (resident.residentSince >= assessmentDay || resident.birthDate >= assessmentDay) return undefined;
  const key = `${resident.holderId}/${fiscalYear}`;
  const age = ageOn(resident.birthDate, `${fiscalYear - 1}-12-31`);
  let salaryRevenue = 0;
  let pensionRevenue = 0;
  if (age >= 65) pensionRevenue = 600_000 + pick(key, 'pension', 25) * 100_000;
  else if (age >= 23 && pick(resident.holderId, 'no-salary', 9) !== 0)
    salaryRevenue = 2_400_000 + pick(key, 'salary', 67) * 100_000;
  else if (age >= 16) salaryRevenue = pick(key, 'part-time', 13) * 100_000;
  const salaryIncome = salaryIncomeOf(salaryRevenue);
  const pensionIncome = pensionIncomeOf(pensionRevenue);
  const totalIncome = salaryIncome + pensionIncome;
  const isHead = resident.relationship === '世帯主';
  const yearEnd = `${fiscalYear - 1}-12-31`;
  const dependentAges = isHead
    ? householdMembers
        .filter((m) => m.holderId !== resident.holderId && ageOn(m.birthDate, yearEnd) < 19)
        .map((m) => ageOn(m.birthDate, yearEnd))
    : [];
  const dependents = dependentAges.length;
  const family = {
    spouse: isHead && householdMembers.some((m) => m.relationship === '妻' || m.relationship === '夫'),
    general: dependentAges.filter((a) => a >= 16).length,
    specific: 0,
    elderly: 0,
    under16: dependentAges.filter((a) => a < 16).length,
  };
  // 所得控除, itemised (住民税の額): the sum is deductionsTotal, capped at the income.
  const deductionItems = [
    { item: '社会保険料控除', yen: Math.floor(salaryRevenue * 0.14) },
    { item: '基礎控除', yen: 430_000 },
    { item: '扶養控除', yen: dependents * 330_000 },
  ].filter((d) => d.yen > 0);
  const deductionsTotal = Math.min(
    totalIncome,
    deductionItems.reduce((n, d) => n + d.yen, 0),
  );
  const taxable = totalIncome > 450_000;
  const taxableIncome = taxable ? floorTo(Math.max(0, totalIncome - deductionsTotal), 1000) : 0;
  const municipalIncomeLevy = floorTo(taxableIncome * 0.06, 100);
  const prefecturalIncomeLevy = floorTo(taxableIncome * 0.04, 100);
  const municipalPerCapita = taxable ? 3000 : 0;
  const prefecturalPerCapita = taxable ? 1000 : 0;
  const total = municipalIncomeLevy + prefecturalIncomeLevy + municipalPerCapita + prefecturalPerCapita;
  const payments: TaxAssessment['payments'] = [];
  const collection: NonNullable<TaxAssessment['collection']> = salaryRevenue > 0 ? '特別徴収' : '普通徴収';
  if (total > 0 && collection === '特別徴収') {
    // Deducted from the salary by the employer each month (June to May): one row.
    const unpaid = pick(key, 'arrears', 11) === 0 ? Math.ceil(total / 4 / 100) * 100 : 0;
    payments.push({
      taxItem: '市県民税（特別徴収）',
      period: '全期',
      assessedYen: total,
      paidYen: total - unpaid,
      unpaidYen: unpaid,
    });
  } else if (total > 0) {
    // 普通徴収: four installments (第1期 June … 第4期 January); arrears fall on the last ones.
    const quarter = Math.floor(total / 4 / 100) * 100;
    const amounts = [total - 3 * quarter, quarter, quarter, quarter];
    const dues = [
      `${fiscalYear}-06-30`,
      `${fiscalYear}-08-31`,
      `${fiscalYear}-10-31`,
      `${fiscalYear + 1}-01-31`,
    ];
    const unpaidFrom = pick(key, 'arrears', 11) === 0 ? 3 : 4;
    amounts.forEach((amount, i) => {
      const unpaid = i >= unpaidFrom ? amount : 0;
      payments.push({
        taxItem: '市県民税（普通徴収）',
        period: `第${i + 1}期`,
        dueDate: dues[i]!,
        assessedYen: amount,
        paidYen: amount - unpaid,
        unpaidYen: unpaid,
      });
    });
  }
  if (age >= 18 && pick(resident.holderId, 'kei-car', 5) === 0) {
    payments.push({
      taxItem: '軽自動車税（種別割）',
      period: '全期',
      dueDate: `${fiscalYear}-05-31`,
      assessedYen: 10_800,
      paidYen: 10_800,
      unpaidYen: 0,
    });
  }
  if (payments.length === 0) payments.push({ taxItem: '市県民税', assessedYen: 0, paidYen: 0, unpaidYen: 0 });
  return {
    holderId: resident.holderId,
    municipalityCode: resident.municipalityCode,
    fiscalYear,
    addressOnAssessmentDay: household.address,
    taxable,
    income: { salaryRevenue, salaryIncome, pensionRevenue, pensionIncome, otherIncome: 0, totalIncome },
    deductionsTotal,
    deductions: deductionItems,
    taxableIncome,
    dependents,
    family,
    collection,
    tax: { municipalIncomeLevy, municipalPerCapita, prefecturalIncomeLevy, prefecturalPerCapita, total },
    payments,
  };
}

/** The resident's assessments for the seed fiscal years in which they lived here on 1 January. */
export function taxAssessmentsFor(
  resident: SeedResident,
  household: SeedHousehold,
  householdMembers: readonly SeedResident[],
  fiscalYears: readonly number[] = SEED_FISCAL_YEARS,
): TaxAssessment[] {
  return fiscalYears.flatMap((year) => assessmentFor(resident, household, householdMembers, year) ?? []);
}

// ── 戸籍 and 附票 ───────────────────────────────────────────────────────────────────────────

export function kosekiIdFor(honseki: NonNullable<SeedResident['honseki']>): string {
  const digest = createHash('sha256')
    .update(`${honseki.municipalityCode}\u0000${honseki.address}\u0000${honseki.hittousha}`, 'utf8')
    .digest('hex');
  return `K${honseki.municipalityCode}-${digest.slice(0, 10).toUpperCase()}`;
}

const DAUGHTER_NAMES = ['由美', '真理子', '愛', '彩', '舞', '千尋', '恵美', '友香'];

function ordinal(n: number): string {
  return ['長', '二', '三', '四', '五', '六'][n] ?? `${n + 1}`;
}

/** 戸籍 of one 本籍 + 筆頭者, from the residents who belong to it. */
export function kosekiFor(people: readonly SeedResident[]): KosekiRecord {
  const first = people[0];
  if (!first?.honseki) throw new RangeError('a 戸籍 needs residents with a 本籍');
  const honseki = first.honseki;
  const kosekiId = kosekiIdFor(honseki);
  const head = people.find((p) => p.name === honseki.hittousha) ?? first;
  const surname = surnameOf(honseki.hittousha);
  const spouse = people.find((p) => p !== head && (p.relationship === '妻' || p.relationship === '夫'));
  const children = people
    .filter((p) => p.relationship === '子')
    .sort((a, b) => a.birthDate.localeCompare(b.birthDate));
  const place = placeOf(honseki.address);
  const father = `${surname} ${['清', '茂', '実'][pick(kosekiId, 'father', 3)]}`;
  const mother = `${surname} ${['和子', '幸子', '節子'][pick(kosekiId, 'mother', 3)]}`;
  const younger = spouse && spouse.birthDate > head.birthDate ? spouse : head;
  const eldestChild = children[0];
  let marriedOn = spouse ? addYears(younger.birthDate, 25) : undefined;
  if (marriedOn && eldestChild && marriedOn > eldestChild.birthDate)
    marriedOn = addYears(eldestChild.birthDate, -1);
  const formedOn = marriedOn ?? laterOf(addYears(head.birthDate, 20), '1990-01-01');
  const wife = spouse?.sex === '女' ? spouse : head.sex === '女' ? head : undefined;
  const husband = wife === head ? spouse : head;

  const birth = (p: SeedResident | { birthDate: string }, notifier = '父'): KosekiEventRecord => ({
    kind: '出生',
    date: p.birthDate,
    detail: `【出生地】${place}`,
    notifiedOn: addDays(p.birthDate, 7 + pick(`${kosekiId}/${p.birthDate}`, 'birth-notice', 7)),
    notifier,
  });
  // 【従前戸籍】 in full: the 本籍 and the 筆頭者 of the 戸籍 a spouse came from.
  const headOrigin = `${honseki.address}\u3000${father}`;
  const spouseOrigin = (s: SeedResident) =>
    `${blockOf(s.previousAddress ?? honseki.address)}\u3000${s.kyuuji ?? surnameOf(s.name)} ${['一郎', '正', '博'][pick(s.holderId, 'in-law', 3)]}`;
  const counters = { 男: 0, 女: 0 };
  const members: KosekiPersonRecord[] = [];
  members.push({
    holderId: head.holderId,
    name: head.name,
    birthDate: head.birthDate,
    sex: head.sex,
    father,
    mother,
    relationship: head.sex === '男' ? '長男' : '長女',
    ...(spouse && marriedOn ? { spouseRole: head.sex === '男' ? ('夫' as const) : ('妻' as const) } : {}),
    removed: head.status === 'deceased',
    events: [
      birth(head),
      ...(spouse && marriedOn
        ? [
            {
              kind: '婚姻' as const,
              date: marriedOn,
              detail: `【配偶者氏名】${spouse.name}【従前戸籍】${headOrigin}`,
            },
          ]
        : []),
    ],
  });
  if (spouse && marriedOn) {
    members.push({
      holderId: spouse.holderId,
      name: spouse.name,
      birthDate: spouse.birthDate,
      sex: spouse.sex,
      relationship: spouse.relationship,
      spouseRole: spouse.sex === '女' ? '妻' : '夫',
      removed: spouse.status === 'deceased',
      events: [
        birth(spouse),
        {
          kind: '婚姻',
          date: marriedOn,
          detail: `【配偶者氏名】${head.name}【従前戸籍】${spouseOrigin(spouse)}`,
        },
      ],
    });
  }
  const relationshipOf = (sex: '男' | '女') => `${ordinal(counters[sex]++)}${sex === '男' ? '男' : '女'}`;
  const childRecords: KosekiPersonRecord[] = children.map((c) => ({
    holderId: c.holderId,
    name: c.name,
    birthDate: c.birthDate,
    sex: c.sex,
    ...(husband ? { father: husband.name } : {}),
    ...(wife ? { mother: wife.name } : {}),
    relationship: '',
    removed: c.status === 'deceased',
    events: [birth(c)],
  }));
  // About half of the married couples have a child no longer in the 戸籍 (除籍): a daughter who
  // married out when she is old enough, otherwise a child who died in infancy.
  const births = children.map((c) => c.birthDate);
  const candidates = [
    addYears(births[0] ?? addYears(marriedOn ?? formedOn, 3), -2),
    addYears(births[births.length - 1] ?? formedOn, 2),
  ].filter((d) => marriedOn !== undefined && d > marriedOn && d <= '2024-12-31');
  const removedBorn = spouse && marriedOn && pick(kosekiId, 'jyoseki', 2) === 0 ? candidates[0] : undefined;
  if (removedBorn) {
    const marriedOut = addYears(removedBorn, 26);
    const removal: KosekiEventRecord[] =
      marriedOut <= '2025-12-31'
        ? [
            { kind: '婚姻', date: marriedOut, detail: `【除籍事由】婚姻【新本籍】${place}` },
            { kind: '除籍', date: marriedOut, detail: '【除籍事由】婚姻' },
          ]
        : [
            {
              kind: '死亡',
              date: addYears(removedBorn, 1),
              detail: `【死亡地】${place}`,
              notifiedOn: addDays(addYears(removedBorn, 1), 2),
              notifier: '親族　父',
            },
            { kind: '除籍', date: addYears(removedBorn, 1), detail: '【除籍事由】死亡' },
          ];
    childRecords.push({
      name: `${surname} ${DAUGHTER_NAMES[pick(kosekiId, 'daughter-name', DAUGHTER_NAMES.length)]}`,
      birthDate: removedBorn,
      sex: '女',
      ...(husband ? { father: husband.name } : {}),
      ...(wife ? { mother: wife.name } : {}),
      relationship: '',
      removed: true,
      events: [birth({ birthDate: removedBorn }), ...removal],
    });
  }
  childRecords
    .sort((a, b) => a.birthDate.localeCompare(b.birthDate))
    .forEach((c) => {
      c.relationship = relationshipOf(c.sex);
      members.push(c);
    });
  for (const other of people) {
    if (other === head || other === spouse || children.includes(other)) continue;
    members.push({
      holderId: other.holderId,
      name: other.name,
      birthDate: other.birthDate,
      sex: other.sex,
      relationship: other.relationship,
      removed: other.status === 'deceased',
      events: [
        birth(other),
        { kind: '入籍', date: laterOf(formedOn, other.residentSince), detail: `【入籍事由】同籍` },
      ],
    });
  }
  return {
    kosekiId,
    municipalityCode: honseki.municipalityCode,
    honseki: honseki.address,
    hittousha: honseki.hittousha,
    kosekiEvents: [
      { kind: '編製', date: formedOn, detail: marriedOn ? '【編製事由】婚姻' : '【編製事由】分籍' },
    ],
    members,
  };
}

/** 戸籍の附票 of a resident with a 本籍: the previous address (when known), then the current one. */
export function fuhyoFor(resident: SeedResident, household: SeedHousehold): FuhyoRecord | undefined {
  if (!resident.honseki) return undefined;
  const addresses: FuhyoRecord['addresses'] = [];
  if (resident.previousAddress && resident.residentSince > resident.birthDate) {
    addresses.push({ address: resident.previousAddress, since: resident.birthDate });
  }
  addresses.push({ address: household.address, since: resident.residentSince });
  return {
    holderId: resident.holderId,
    kosekiId: kosekiIdFor(resident.honseki),
    municipalityCode: resident.honseki.municipalityCode,
    addresses,
  };
}

/** Every register of the world, generated from its residents. */
export function buildSeedRegisters(world: SeedWorld): SeedRegisters {
  const households = new Map(world.households.map((h) => [h.householdId, h]));
  const byHousehold = new Map<string, SeedResident[]>();
  const byKoseki = new Map<string, SeedResident[]>();
  for (const r of world.residents) {
    byHousehold.set(r.householdId, [...(byHousehold.get(r.householdId) ?? []), r]);
    if (r.honseki) {
      const id = kosekiIdFor(r.honseki);
      byKoseki.set(id, [...(byKoseki.get(id) ?? []), r]);
    }
  }
  const inkan: InkanRegistration[] = [];
  const taxes: TaxAssessment[] = [];
  const fuhyo: FuhyoRecord[] = [];
  const kosekiUseRegistrations: KosekiUseRegistration[] = [];
  for (const r of world.residents) {
    const household = households.get(r.householdId);
    if (!household) throw new Error(`seed: resident ${r.holderId} has no household ${r.householdId}`);
    const registration = inkanRegistrationFor(r);
    if (registration) inkan.push(registration);
    taxes.push(...taxAssessmentsFor(r, household, byHousehold.get(r.householdId) ?? []));
    const f = fuhyoFor(r, household);
    if (f) fuhyo.push(f);
    if (r.honseki?.kioskRegistration && r.honseki.municipalityCode !== r.municipalityCode) {
      kosekiUseRegistrations.push({
        requestId: `SEED${r.holderId
          .replace(/[^0-9A-Z]/g, '')
          .padStart(8, '0')
          .slice(-8)}`,
        holderId: r.holderId,
        honsekiMunicipalityCode: r.honseki.municipalityCode,
        status: 'approved',
        filedAt: Date.UTC(2025, 3, 1),
        decidedAt: Date.UTC(2025, 3, 2),
      });
    }
  }
  const koseki = [...byKoseki.values()].map(kosekiFor);
  return { inkan, taxes, koseki, fuhyo, kosekiUseRegistrations };
}
