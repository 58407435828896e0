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
  offerings: Partial<Record<CertificateType, CertificateOffering>>;
}

export type ResidentStatus = 'resident' | 'moved-out' | 'deceased';
/** What the world builder does with the resident's 利用者証明用 certificate. */
export type CardCondition = 'valid' | 'expired' | 'revoked';

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
}
