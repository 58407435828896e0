import type { CertificateType } from '../../protocol/certificate-types.ts';

/** A clock time in Japan Standard Time, "HH:MM". */
export type JstClockTime = `${number}:${number}`;

export interface ServiceHours {
  opens: JstClockTime;
  closes: JstClockTime;
  /** Only Monday–Friday (e.g. 戸籍, because the 本籍地's systems are only up then). */
  weekdaysOnly?: boolean;
}

export interface CertificateOffering {
  feeYen: number;
  maxCopies: number;
  /** Narrower hours for this type; the municipality's service hours apply otherwise. */
  hours?: ServiceHours;
  /** For 戸籍 types: also issued to residents of other municipalities whose 本籍 is here (住≠本). */
  forNonResidents?: boolean;
  /** A higher minimum age for this type than the municipality's. */
  minimumAge?: number;
}

export interface MunicipalityConfig {
  code: string; // 全国地方公共団体コード with check digit
  prefecture: string;
  name: string;
  mayorTitle: string;
  mayorName: string;
  participating: boolean;
  /** Residents younger than this are refused every certificate (some municipalities: 15). */
  minimumAge?: number;
  serviceHours: ServiceHours;
  /** "MM-DD" days with no service (年末年始). */
  closedDays: string[];
  /** Maintenance windows (ISO date-times with offset): no service. */
  maintenance?: Array<{ from: string; until: string }>;
  /** The most copies of one certificate in one transaction. */
  copyLimit?: number;
  offerings: Partial<Record<CertificateType, CertificateOffering>>;
  /** Options residents may choose (server/municipal/rules.ts). */
  options?: {
    juminhyoScopes?: Array<'household' | 'self' | 'members'>;
    honseki?: boolean;
    relationship?: boolean;
    myNumber?: boolean;
    taxYearsBack?: number;
  };
  notices?: Array<{ id: string; ja: string; en?: string; from?: string; until?: string }>;
}

export type ResidentStatus = 'resident' | 'moved-out' | 'deceased';
/** What the world builder does with the resident's 利用者証明用 certificate. */
export type CardCondition = 'valid' | 'expired' | 'revoked';

/** A card PIN that can be locked: 利用者証明用 (4 digits) or 署名用. */
export type LockedPin = 'auth' | 'signing';

export interface Honseki {
  municipalityCode: string;
  address: string;
  hittousha: string;
  /** 利用登録 done for 戸籍 at the kiosk (needed when 本籍地 ≠ 住所地). */
  kioskRegistration: boolean;
}

export interface SeedHousehold {
  householdId: string;
  municipalityCode: string;
  address: string;
}

export interface SeedResident {
  holderId: string;
  householdId: string;
  /** The municipality of residence (always that of the household). */
  municipalityCode: string;
  /** Order on the 住民票 (世帯主 = 1). */
  householdOrder: number;
  name: string;
  nameKana: string;
  birthDate: string; // YYYY-MM-DD
  sex: '男' | '女';
  relationship: string; // 続柄
  residentSince: string;
  previousAddress?: string;
  kyuuji?: string;
  tsusho?: string;
  nationality?: string; // foreign residents only
  status: ResidentStatus;
  dvBlock: boolean;
  inkanRegistered: boolean;
  honseki?: Honseki;
  card: {
    condition: CardCondition;
    /** A child under 15 has no 署名用 certificate; the card still has a signing PIN slot. */
    hasSigningCertificate: boolean;
    authPin: string; // 4 digits
    signingPin: string; // 6–16 of A–Z0–9
    /** PINs blocked after too many wrong tries: the world builder sets their counters to 0. */
    lockedPins?: LockedPin[];
  };
}

export interface SeedWorld {
  municipalities: MunicipalityConfig[];
  households: SeedHousehold[];
  residents: SeedResident[];
}

/** One row of `npm run card -- --list --json`. */
export interface CardListRow {
  holderId: string;
  name: string;
  municipality: string;
  authPin: string;
  signingPin: string;
  /** Only when the card is not valid: expired or revoked certificate. */
  condition?: Exclude<CardCondition, 'valid'>;
  /** Only when a PIN is locked (its counter is 0 on the card). */
  lockedPins?: LockedPin[];
}

// ── Municipal registers (印鑑登録, 税, 戸籍, 戸籍の附票) — generated from the residents by
//    server/seed/registers.ts; the issuing server reads them through server/municipal/register-store.ts.

/** 印鑑登録原票: one registration per person; an abolished one (廃止) is never certified. */
export interface InkanRegistration {
  holderId: string;
  municipalityCode: string;
  registrationNumber: string; // 登録番号, digits
  registeredOn: string; // YYYY-MM-DD
  status: 'registered' | 'abolished';
  abolishedOn?: string;
  /** The impression as registered: a scanned PNG (base64), red on transparent … */
  sealImagePng?: string;
  /**
   * … or, in the demo register, the key of a generated impression (server/seed/registers-seal-image.ts):
   * the demo register stores it drawn at sealImagePx as sealImagePng; a registration holding only
   * the key has it drawn when it certifies (cached).
   */
  sealDesign?: string;
  sealImagePx: number;
  sealSizeMm: number;
}

/** 課税台帳: one person's assessment for one fiscal year (年度), and what has been paid. */
export interface TaxAssessment {
  holderId: string;
  municipalityCode: string;
  fiscalYear: number;
  /** Address on 1 January of the fiscal year (賦課期日). */
  addressOnAssessmentDay: string;
  taxable: boolean;
  income: {
    salaryRevenue: number;
    salaryIncome: number;
    pensionRevenue: number;
    pensionIncome: number;
    otherIncome: number;
    totalIncome: number;
  };
  deductionsTotal: number;
  /** 所得控除, itemised; the items sum to deductionsTotal. */
  deductions?: Array<{ item: string; yen: number }>;
  taxableIncome: number;
  dependents: number;
  /** 控除対象配偶者 and 扶養親族 by kind. */
  family?: { spouse: boolean; general: number; specific: number; elderly: number; under16: number };
  collection?: '特別徴収' | '普通徴収' | '特別徴収・普通徴収' | '年金特別徴収';
  tax: {
    municipalIncomeLevy: number;
    municipalPerCapita: number;
    prefecturalIncomeLevy: number;
    prefecturalPerCapita: number;
    total: number;
  };
  /** 納税: per tax item (住民税, 固定資産税, 軽自動車税 …). */
  payments: Array<{
    taxItem: string;
    period?: string; // 期別
    dueDate?: string; // 納期限
    assessedYen: number;
    paidYen: number;
    unpaidYen: number;
  }>;
}

export type KosekiEventKind =
  '編製' | '出生' | '婚姻' | '離婚' | '養子縁組' | '死亡' | '転籍' | '入籍' | '除籍' | '氏の変更';

export interface KosekiEventRecord {
  kind: KosekiEventKind;
  date: string;
  detail: string;
  notifiedOn?: string; // 【届出日】
  notifier?: string; // 【届出人】
}

export interface KosekiPersonRecord {
  /** The resident this person is, when on a resident register we know (for 個人事項 and 附票). */
  holderId?: string;
  name: string;
  birthDate: string;
  sex: '男' | '女';
  father?: string;
  mother?: string;
  relationship: string; // 続柄 in the 戸籍
  spouseRole?: '夫' | '妻'; // 【配偶者区分】
  removed: boolean; // 除籍
  events: KosekiEventRecord[];
}

/** 戸籍: kept by the 本籍地. Identified by 本籍 + 筆頭者. */
export interface KosekiRecord {
  kosekiId: string;
  municipalityCode: string;
  honseki: string;
  hittousha: string;
  kosekiEvents: KosekiEventRecord[];
  members: KosekiPersonRecord[];
}

/** 戸籍の附票: a person's addresses while in this 戸籍, oldest first. */
export interface FuhyoRecord {
  holderId: string;
  kosekiId: string;
  municipalityCode: string;
  addresses: Array<{ address: string; since: string }>;
}

/** 利用登録 for 戸籍 at the kiosk (本籍地 ≠ 住所地): filed, then decided by the 本籍地. */
export interface KosekiUseRegistration {
  requestId: string;
  holderId: string;
  honsekiMunicipalityCode: string;
  status: 'pending' | 'approved' | 'rejected';
  filedAt: number; // epoch ms
  decidedAt?: number;
}

export interface SeedRegisters {
  inkan: InkanRegistration[];
  taxes: TaxAssessment[];
  koseki: KosekiRecord[];
  fuhyo: FuhyoRecord[];
  kosekiUseRegistrations: KosekiUseRegistration[];
}
