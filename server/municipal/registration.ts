import type { KosekiRegistrationRequest, KosekiRegistrationResponse } from '../../protocol/api.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import type { KosekiUseRegistration } from '../seed/types.ts';
import { japanIsoDateTime } from './japanTime.ts';
import type { RegisterStore } from './register-store.ts';
import { KOSEKI_TYPES } from './rules.ts';

export interface RegistrationDeps {
  repository: CentreRepository;
  registers: RegisterStore;
  now: () => Date;
}

export function registrationResponse(
  filed: KosekiUseRegistration,
  municipality: { code: string; name: string },
): KosekiRegistrationResponse {
  return {
    requestId: filed.requestId,
    status: filed.status,
    municipality: { code: municipality.code, name: municipality.name },
    filedAt: japanIsoDateTime(new Date(filed.filedAt)),
  };
}

/**
 * 利用登録 from the kiosk: the authenticated resident asks their 本籍地 (another municipality) to
 * issue 戸籍 certificates at kiosks. Filing twice answers the request already on file.
 */
export async function fileKosekiRegistration(
  deps: RegistrationDeps,
  request: KosekiRegistrationRequest,
): Promise<CentreResult<KosekiRegistrationResponse>> {
  const now = deps.now();
  const session = await deps.repository.getSession(request.transactionId);
  if (!session || session.terminalId !== request.terminalId || session.expiresAt <= now.getTime()) {
    return fail('not-authenticated', 'no live session for transaction and terminal');
  }
  const resident = await deps.repository.getResident(session.holderId);
  if (!resident) return fail('resident-unknown');
  if (resident.status === 'moved-out') return fail('resident-moved-out');
  if (resident.status === 'deceased') return fail('resident-deceased');
  if (resident.dvBlock) return fail('dv-block');
  const honsekiCode = resident.honseki?.municipalityCode;
  const honseki = honsekiCode ? await deps.repository.getMunicipality(honsekiCode) : undefined;
  if (!honseki || !honseki.participating) return fail('certificate-not-offered', '本籍地 not participating');
  if (honseki.code === resident.municipalityCode) {
    return fail('bad-request', '本籍地 is the municipality of residence: no 利用登録 needed');
  }
  if (!KOSEKI_TYPES.some((t) => honseki.offerings[t]?.forNonResidents)) {
    return fail('certificate-not-offered', '本籍地 does not serve non-residents');
  }
  const filed = await deps.registers.fileUseRegistration(resident.holderId, honseki.code, now.getTime());
  return succeed(registrationResponse(filed, honseki));
}
