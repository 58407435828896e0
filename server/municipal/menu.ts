import { CERTIFICATE_TYPES, type CertificateType } from '../../protocol/certificate-types.ts';
import type { MenuItem, UnavailableReason } from '../../protocol/api.ts';
import type { MunicipalityRecord, ResidentRecord } from '../db/records.ts';
import { ageOn, japanTime, type JapanTime } from './japanTime.ts';

type ServiceHours = MunicipalityRecord['serviceHours'];

const KOSEKI_TYPES: ReadonlySet<CertificateType> = new Set(['koseki-zenbu', 'koseki-kojin', 'koseki-fuhyo']);

function withinHours(hours: ServiceHours, at: JapanTime): boolean {
  if (hours.weekdaysOnly && (at.weekday === 0 || at.weekday === 6)) return false;
  return at.clock >= hours.opens && at.clock < hours.closes;
}

/** The municipality's kiosk service is open now (daily hours, minus closed days). */
export function municipalityOpen(municipality: MunicipalityRecord, now: Date): boolean {
  const at = japanTime(now);
  return !municipality.closedDays.includes(at.monthDay) && withinHours(municipality.serviceHours, at);
}

export interface MenuContext {
  resident: ResidentRecord;
  residence: MunicipalityRecord;
  /** The 本籍地 municipality's config, when the resident has a 本籍 in a known municipality. */
  honsekiMunicipality?: MunicipalityRecord;
  now: Date;
}

export type MenuDecision =
  | { available: true; issuer: MunicipalityRecord; feeYen: number; maxCopies: number }
  | { available: false; reason: UnavailableReason };

/** Whether this resident can have this certificate now, from which municipality, at what fee. */
export function decideCertificate(type: CertificateType, ctx: MenuContext): MenuDecision {
  const { resident, residence, now } = ctx;
  if (resident.dvBlock) return { available: false, reason: 'dv-block' };
  const today = japanTime(now);
  if (residence.minimumAge !== undefined && ageOn(resident.birthDate, today.date) < residence.minimumAge) {
    return { available: false, reason: 'age' };
  }
  let issuer = residence;
  if (KOSEKI_TYPES.has(type)) {
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
      if (!honseki.kioskRegistration) return { available: false, reason: 'registration-needed' };
    }
  }
  const offering = issuer.offerings[type];
  if (!offering) return { available: false, reason: 'not-offered' };
  if (type === 'inkan' && !resident.inkanRegistered) return { available: false, reason: 'no-registration' };
  if (!municipalityOpen(issuer, now) || (offering.hours && !withinHours(offering.hours, today))) {
    return { available: false, reason: 'outside-hours' };
  }
  return { available: true, issuer, feeYen: offering.feeYen, maxCopies: offering.maxCopies };
}

/** One menu item per CERTIFICATE_TYPES entry, in that order. */
export function buildMenu(ctx: MenuContext): MenuItem[] {
  return CERTIFICATE_TYPES.map((certificateType): MenuItem => {
    const decision = decideCertificate(certificateType, ctx);
    return decision.available
      ? { certificateType, available: true, feeYen: decision.feeYen, maxCopies: decision.maxCopies }
      : { certificateType, available: false, reason: decision.reason };
  });
}
