import type { CentreRepository } from '../db/repository.ts';
import type { HouseholdRecord } from '../db/records.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import type { CertificateType } from '../../protocol/certificate-types.ts';
import {
  decideCertificate,
  decisionReads,
  refusalForUnavailable,
  type MenuContext,
  type MenuDecision,
} from './menu.ts';
import type { RegisterStore } from './register-store.ts';

export interface ResidentContext {
  household: HouseholdRecord;
  menu: MenuContext;
}

/**
 * Reads the resident, household, municipalities and the municipal registers (印鑑, 税, 利用登録)
 * as they are now, and refuses residents who cannot use the service at all (moved out, deceased,
 * municipality not participating). With `forType`, only the registers the decision on that one
 * type reads (menu.ts decisionReads): the context then serves that type's decision only, and the
 * registers it does not need are absent (no 印鑑, no 利用登録, no tax years).
 */
export async function menuContextFor(
  repository: CentreRepository,
  registers: RegisterStore,
  holderId: string,
  now: Date,
  /** Service hours are judged at this time (default `now`); everything else at `now`. */
  openingHoursAt: Date = now,
  forType?: CertificateType,
): Promise<CentreResult<ResidentContext>> {
  const reads = forType ? decisionReads(forType) : { honseki: true, inkan: true, taxYears: true };
  const home = await repository.getResidentHome(holderId, reads.honseki);
  if (!home) return fail('resident-unknown', 'holder not on the register');
  const { resident, household, residence, honseki: honsekiMunicipality } = home;
  if (resident.status === 'moved-out') return fail('resident-moved-out');
  if (resident.status === 'deceased') return fail('resident-deceased');
  if (!household || !residence)
    return fail('internal', 'register inconsistent: household or municipality missing');
  if (!residence.participating) return fail('municipality-not-participating');
  const honsekiCode = reads.honseki ? resident.honseki?.municipalityCode : undefined;
  const { inkan, useRegistration, taxYears } = await registers.menuRegistersOf(holderId, {
    inkan: reads.inkan,
    taxYears: reads.taxYears,
    ...(honsekiCode ? { honsekiCode } : {}),
  });
  const menu: MenuContext = { resident, residence, taxYears, now, openingHoursAt };
  if (honsekiMunicipality) menu.honsekiMunicipality = honsekiMunicipality;
  if (inkan) menu.inkan = inkan;
  if (useRegistration) menu.useRegistration = useRegistration;
  return succeed({ household, menu });
}

/** The menu's decision for a certificate the resident can have now. */
export type AvailableDecision = Extract<MenuDecision, { available: true }>;

/**
 * The resident's context as it is now (`menuContextFor`, service hours judged at
 * `deps.openingHoursNow`, default `now`) and the menu's decision for `certificateType`: refused,
 * with the menu's reason, when it is not available.
 */
export async function availableCertificateFor(
  deps: { repository: CentreRepository; registers: RegisterStore; openingHoursNow?: () => Date },
  holderId: string,
  certificateType: CertificateType,
  now: Date,
): Promise<CentreResult<{ context: ResidentContext; decision: AvailableDecision }>> {
  const openingHoursAt = deps.openingHoursNow?.() ?? now;
  const context = await menuContextFor(
    deps.repository,
    deps.registers,
    holderId,
    now,
    openingHoursAt,
    certificateType,
  );
  if (!context.ok) return context;
  const decision = decideCertificate(certificateType, context.value.menu);
  if (!decision.available) return fail(refusalForUnavailable(decision.reason), decision.reason);
  return succeed({ context: context.value, decision });
}
