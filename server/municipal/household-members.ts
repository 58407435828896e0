/**
 * The household's names for the options screen, asked for only when the resident chooses scope
 * `members` (data minimisation: authentication answers no names). Bound to the session: the
 * transaction must be authenticated on this terminal and unexpired, its card not revoked since,
 * and the municipality must allow scope `members` for this certificate now.
 */
import type { HouseholdMembersRequest, HouseholdMembersResponse } from '../../protocol/api.ts';
import type { CentreRepository } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import type { RegisterStore } from './register-store.ts';
import { availableCertificateFor } from './residentContext.ts';
import { liveSession } from './live-session.ts';

export interface HouseholdMembersDeps {
  repository: CentreRepository;
  registers: RegisterStore;
  /** The real time: the session's life. */
  now: () => Date;
  /** The time service hours are judged at (default: `now`). */
  openingHoursNow?: () => Date;
}

/** The members in 住民票 order, numbered as IssueOptions.members names them. */
export async function householdMembersFor(
  deps: HouseholdMembersDeps,
  request: HouseholdMembersRequest,
): Promise<CentreResult<HouseholdMembersResponse>> {
  const now = deps.now();
  const live = await liveSession(deps.repository, request, now);
  if (!live.ok) return live;
  if (live.value.certificateRevoked) return fail('certificate-revoked', 'revoked after authentication');
  const { holderId } = live.value.session;
  const available = await availableCertificateFor(deps, holderId, request.certificateType, now);
  if (!available.ok) return available;
  const { context, decision } = available.value;
  if (!(decision.options.scopes ?? []).includes('members'))
    return fail('option-not-allowed', 'scope members not allowed for this certificate');
  const members = await deps.repository.listHouseholdMembers(context.household.householdId);
  if (members.length === 0) return fail('internal', 'register inconsistent: empty household');
  return succeed({ members: members.map((m, i) => ({ order: i + 1, name: m.name })) });
}
