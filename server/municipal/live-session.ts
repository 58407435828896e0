import type { CentreRepository, SessionStanding } from '../db/repository.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';

/**
 * The transaction's session as a step after sign-in reads it (one statement on PostgreSQL): bound
 * to this terminal and unexpired, else `not-authenticated`. Whether it was issued already and
 * whether its certificate is revoked now come with it; each step decides in its own order what
 * those mean.
 */
export async function liveSession(
  repository: Pick<CentreRepository, 'getSessionStanding'>,
  request: { transactionId: string; terminalId: string },
  now: Date,
): Promise<CentreResult<SessionStanding>> {
  const standing = await repository.getSessionStanding(request.transactionId);
  if (!standing || standing.session.terminalId !== request.terminalId)
    return fail('not-authenticated', 'no session for transaction and terminal');
  if (standing.session.expiresAt <= now.getTime()) return fail('not-authenticated', 'session expired');
  return succeed(standing);
}
