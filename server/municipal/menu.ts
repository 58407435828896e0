import { CERTIFICATE_TYPES, type CertificateType } from '../../protocol/certificate-types.ts';
import type { AllowedOptions, MenuItem, Notice, UnavailableReason } from '../../protocol/api.ts';
import type { CentreErrorCode } from '../../protocol/errors.ts';
import type { MunicipalityRecord, ResidentRecord } from '../db/records.ts';
import type { InkanRegistration, KosekiUseRegistration } from '../seed/types.ts';
import { ageOn, japanTime, type JapanTime } from './japanTime.ts';
import { KOSEKI_TYPES, TAX_TYPES } from './rules.ts';

type ServiceHours = MunicipalityRecord['serviceHours'];

/** Default number of fiscal years (current included) offered for tax certificates. */
export const DEFAULT_TAX_YEARS_BACK = 3;

function withinHours(hours: ServiceHours, at: JapanTime): boolean {
  if (hours.weekdaysOnly && (at.weekday === 0 || at.weekday === 6)) return false;
  return at.clock >= hours.opens && at.clock < hours.closes;
}

/** The municipality's kiosk service is open now (daily hours, minus closed days and maintenance). */
export function municipalityOpen(municipality: MunicipalityRecord, now: Date): boolean {
  const at = japanTime(now);
  const inMaintenance = (municipality.maintenance ?? []).some(
    (w) => Date.parse(w.from) <= now.getTime() && now.getTime() < Date.parse(w.until),
  );
  return (
    !inMaintenance &&
    !municipality.closedDays.includes(at.monthDay) &&
    withinHours(municipality.serviceHours, at)
  );
}

/** 年度 whose assessment is out: the tax notices go out in June. */
export function currentFiscalYear(now: Date): number {
  const [y, m] = japanTime(now).date.split('-').map(Number) as [number, number];
  return m >= 6 ? y : y - 1;
}

export interface MenuContext {
  resident: ResidentRecord;
  residence: MunicipalityRecord;
  /** The 本籍地 municipality's config, when the resident has a 本籍 in a known municipality. */
  honsekiMunicipality?: MunicipalityRecord;
  /** Read from the registers at this moment. */
  inkan?: InkanRegistration;
  useRegistration?: KosekiUseRegistration;
  /** Fiscal years on the tax register for this resident, newest first. */
  taxYears: number[];
  /** The real time: age, fiscal year. */
  now: Date;
  /**
   * The time service hours, closed days and maintenance windows are judged at, and nothing else
   * (default: `now`). Only a demo shifts it (scripts/dev/clock.ts).
   */
  openingHoursAt?: Date;
}

const REFUSAL_FOR: Record<UnavailableReason, CentreErrorCode> = {
  'not-offered': 'certificate-not-offered',
  'outside-hours': 'outside-hours',
  'registration-needed': 'registration-needed',
  'dv-block': 'dv-block',
  age: 'age-restricted',
  'no-registration': 'no-registration',
  unprintable: 'document-unprintable',
};

/** The refusal for a request on a certificate the menu shows unavailable. */
export function refusalForUnavailable(reason: UnavailableReason): CentreErrorCode {
  return REFUSAL_FOR[reason];
}

export type MenuDecision =
  | {
      available: true;
      issuer: MunicipalityRecord;
      feeYen: number;
      maxCopies: number;
      options: AllowedOptions;
    }
  | { available: false; reason: UnavailableReason };

function allowedOptions(
  type: CertificateType,
  issuer: MunicipalityRecord,
  taxYears: number[],
): AllowedOptions {
  const o = issuer.options ?? {};
  if (type === 'juminhyo' || type === 'juminhyo-kisai') {
    const options: AllowedOptions = {
      scopes: o.juminhyoScopes ?? ['household', 'self', 'members'],
      relationship: o.relationship ?? true,
    };
    if (type === 'juminhyo') {
      options.honseki = o.honseki ?? false;
      options.myNumber = o.myNumber ?? false;
    }
    return options;
  }
  if (TAX_TYPES.includes(type)) return { taxYears };
  return {};
}

/**
 * The registers decideCertificate reads for `type`, beyond the resident, the residence and the
 * clock: the 本籍地 (its municipality and the 利用登録 there) for 戸籍 types, the 印鑑登録 for the
 * 印鑑登録証明書, the tax register's years for tax certificates. A context read for one type
 * (residentContext.ts) reads only these.
 */
export function decisionReads(type: CertificateType): {
  honseki: boolean;
  inkan: boolean;
  taxYears: boolean;
} {
  return {
    honseki: KOSEKI_TYPES.includes(type),
    inkan: type === 'inkan',
    taxYears: TAX_TYPES.includes(type),
  };
}

/** Whether this resident can have this certificate now, from which municipality, at what fee. */
export function decideCertificate(type: CertificateType, ctx: MenuContext): MenuDecision {
  const { resident, residence, now } = ctx;
  if (resident.dvBlock) return { available: false, reason: 'dv-block' };
  const today = japanTime(now);
  const age = ageOn(resident.birthDate, today.date);
  if (residence.minimumAge !== undefined && age < residence.minimumAge) {
    return { available: false, reason: 'age' };
  }
  let issuer = residence;
  if (KOSEKI_TYPES.includes(type)) {
    const honseki = resident.honseki;
    const honsekiMunicipality = ctx.honsekiMunicipality;
    if (!honseki || !honsekiMunicipality || honsekiMunicipality.code !== honseki.municipalityCode) {
      return { available: false, reason: 'not-offered' };
    }
    issuer = honsekiMunicipality;
    const offering = issuer.offerings[type];
    if (!offering || !issuer.participating) return { available: false, reason: 'not-offered' };
    if (issuer.code !== residence.code) {
      if (!offering.forNonResidents) return { available: false, reason: 'not-offered' };
      if (ctx.useRegistration?.status !== 'approved')
        return { available: false, reason: 'registration-needed' };
    }
  }
  const offering = issuer.offerings[type];
  if (!offering) return { available: false, reason: 'not-offered' };
  if (offering.minimumAge !== undefined && age < offering.minimumAge)
    return { available: false, reason: 'age' };
  if (type === 'inkan' && ctx.inkan?.status !== 'registered')
    return { available: false, reason: 'no-registration' };
  let taxYears: number[] = [];
  if (TAX_TYPES.includes(type)) {
    const newest = currentFiscalYear(now);
    const back = issuer.options?.taxYearsBack ?? DEFAULT_TAX_YEARS_BACK;
    taxYears = ctx.taxYears.filter((y) => y <= newest && y > newest - back);
    if (taxYears.length === 0) return { available: false, reason: 'no-registration' };
  }
  const openingHoursAt = ctx.openingHoursAt ?? now;
  if (
    !municipalityOpen(issuer, openingHoursAt) ||
    (offering.hours && !withinHours(offering.hours, japanTime(openingHoursAt)))
  ) {
    return { available: false, reason: 'outside-hours' };
  }
  const maxCopies = Math.min(offering.maxCopies, issuer.copyLimit ?? offering.maxCopies);
  return {
    available: true,
    issuer,
    feeYen: offering.feeYen,
    maxCopies,
    options: allowedOptions(type, issuer, taxYears),
  };
}

/** One menu item per CERTIFICATE_TYPES entry, in that order. */
export function buildMenu(ctx: MenuContext): MenuItem[] {
  return CERTIFICATE_TYPES.map((certificateType): MenuItem => {
    const decision = decideCertificate(certificateType, ctx);
    if (!decision.available) return { certificateType, available: false, reason: decision.reason };
    const item: MenuItem = {
      certificateType,
      available: true,
      feeYen: decision.feeYen,
      maxCopies: decision.maxCopies,
    };
    if (Object.keys(decision.options).length > 0) item.options = decision.options;
    return item;
  });
}

/** The residence municipality's notices in force now. */
export function noticesFor(municipality: MunicipalityRecord, now: Date): Notice[] {
  const t = now.getTime();
  return (municipality.notices ?? [])
    .filter((n) => (!n.from || Date.parse(n.from) <= t) && (!n.until || t < Date.parse(n.until)))
    .map((n) => (n.en === undefined ? { id: n.id, ja: n.ja } : { id: n.id, ja: n.ja, en: n.en }));
}
