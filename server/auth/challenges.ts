import { randomBytes } from 'node:crypto';
import type { ChallengeRequest, ChallengeResponse } from '../../protocol/api.ts';
import type { CentreRepository } from '../db/repository.ts';
import { japanIsoDateTime } from '../municipal/japanTime.ts';
import { CHALLENGE_BYTES } from './verifyAuthentication.ts';

export const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;

/** A fresh 32-byte challenge, single use, valid 5 minutes, bound to this terminal + transaction. */
export async function issueChallenge(
  repository: CentreRepository,
  request: ChallengeRequest,
  now: Date,
): Promise<ChallengeResponse> {
  const challenge = randomBytes(CHALLENGE_BYTES).toString('base64');
  const expiresAt = new Date(now.getTime() + CHALLENGE_LIFETIME_MS);
  await repository.putChallenge({
    challenge,
    terminalId: request.terminalId,
    transactionId: request.transactionId,
    expiresAt: expiresAt.getTime(),
  });
  return { challenge, expiresAt: japanIsoDateTime(expiresAt) };
}
