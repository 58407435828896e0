import type {
  InkanContent,
  KosekiFuhyoContent,
  KosekiKojinContent,
  KosekiMember,
  KosekiZenbuContent,
  NozeiContent,
  ShotokuKazeiContent,
} from '../../protocol/documents.ts';
import type { HouseholdRecord, ResidentRecord } from '../db/records.ts';
import type {
  FuhyoRecord,
  InkanRegistration,
  KosekiPersonRecord,
  KosekiRecord,
  TaxAssessment,
} from '../seed/types.ts';
import { sealImpressionPng } from '../seed/registers-seal-image.ts';

/** Certificate contents built from the municipal registers, as read at the moment of issue. */

/** The registered impression as a PNG (base64): the scanned one, or the demo design drawn now. */
function impressionOf(registration: InkanRegistration): string | undefined {
  if (registration.sealImagePng !== undefined) return registration.sealImagePng;
  if (registration.sealDesign === undefined) return undefined;
  return sealImpressionPng(registration.sealDesign, registration.sealImagePx);
}

/** The 印鑑登録証明書, or undefined when the register holds no impression for the registration. */
export function inkanContent(
  registration: InkanRegistration,
  resident: ResidentRecord,
  household: HouseholdRecord,
): InkanContent | undefined {
  const data = impressionOf(registration);
  if (data === undefined) return undefined;
  return {
    kind: 'inkan',
    registrationNumber: registration.registrationNumber,
    registeredOn: registration.registeredOn,
    name: resident.name,
    nameKana: resident.nameKana,
    birthDate: resident.birthDate,
    sex: resident.sex,
    address: household.address,
    sealImage: {
      mediaType: 'image/png',
      widthPx: registration.sealImagePx,
      heightPx: registration.sealImagePx,
      sizeMm: registration.sealSizeMm,
      data,
    },
  };
}

export function shotokuKazeiContent(
  assessment: TaxAssessment,
  resident: ResidentRecord,
): ShotokuKazeiContent {
  return {
    kind: 'shotoku-kazei',
    fiscalYear: assessment.fiscalYear,
    incomeYear: assessment.fiscalYear - 1,
    name: resident.name,
    birthDate: resident.birthDate,
    address: assessment.addressOnAssessmentDay,
    taxable: assessment.taxable,
    income: { ...assessment.income },
    deductionsTotal: assessment.deductionsTotal,
    taxableIncome: assessment.taxableIncome,
    dependents: assessment.dependents,
    tax: { ...assessment.tax },
    ...(assessment.deductions ? { deductions: assessment.deductions.map((d) => ({ ...d })) } : {}),
    ...(assessment.family ? { family: { ...assessment.family } } : {}),
    ...(assessment.collection ? { collection: assessment.collection } : {}),
  };
}

export function nozeiContent(
  assessment: TaxAssessment,
  resident: ResidentRecord,
  household: HouseholdRecord,
): NozeiContent {
  return {
    kind: 'nozei',
    fiscalYear: assessment.fiscalYear,
    name: resident.name,
    address: household.address,
    items: assessment.payments.map((p) => ({ ...p })),
  };
}

function kosekiMember(person: KosekiPersonRecord): KosekiMember {
  const member: KosekiMember = {
    name: person.name,
    birthDate: person.birthDate,
    sex: person.sex,
    relationship: person.relationship,
    removed: person.removed,
    events: person.events.map((e) => ({ ...e })),
  };
  if (person.spouseRole !== undefined) member.spouseRole = person.spouseRole;
  if (person.father !== undefined) member.father = person.father;
  if (person.mother !== undefined) member.mother = person.mother;
  return member;
}

/** 全部事項: every person ever in the 戸籍, 除籍 included and marked. */
export function kosekiZenbuContent(koseki: KosekiRecord): KosekiZenbuContent {
  return {
    kind: 'koseki-zenbu',
    honseki: koseki.honseki,
    hittousha: koseki.hittousha,
    kosekiEvents: koseki.kosekiEvents.map((e) => ({ ...e })),
    members: koseki.members.map(kosekiMember),
  };
}

/** 個人事項 of the resident, or undefined when the resident is not in this 戸籍. */
export function kosekiKojinContent(koseki: KosekiRecord, holderId: string): KosekiKojinContent | undefined {
  const person = koseki.members.find((m) => m.holderId === holderId);
  if (!person) return undefined;
  return {
    kind: 'koseki-kojin',
    honseki: koseki.honseki,
    hittousha: koseki.hittousha,
    kosekiEvents: koseki.kosekiEvents.map((e) => ({ ...e })),
    members: [kosekiMember(person)],
  };
}

export function fuhyoContent(
  fuhyo: FuhyoRecord,
  koseki: KosekiRecord,
  resident: ResidentRecord,
): KosekiFuhyoContent {
  return {
    kind: 'koseki-fuhyo',
    honseki: koseki.honseki,
    hittousha: koseki.hittousha,
    name: resident.name,
    birthDate: resident.birthDate,
    sex: resident.sex,
    addresses: fuhyo.addresses.map((a) => ({ ...a })),
  };
}
