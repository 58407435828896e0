import type { CentreErrorCode } from '../../protocol/errors.ts';

/** HTTP status for each refusal: 400 malformed, 401 authentication failed, 403 refused by rule, 500 ours. */
export const HTTP_STATUS_FOR: Readonly<Record<CentreErrorCode, number>> = {
  'bad-request': 400,
  'terminal-unknown': 403,
  'challenge-unknown': 401,
  'challenge-expired': 401,
  'challenge-used': 401,
  'signature-invalid': 401,
  'certificate-malformed': 400,
  'certificate-not-yet-valid': 401,
  'certificate-expired': 401,
  'certificate-untrusted': 401,
  'certificate-revoked': 401,
  'certificate-wrong-usage': 401,
  'resident-unknown': 403,
  'resident-moved-out': 403,
  'resident-deceased': 403,
  'municipality-not-participating': 403,
  'not-authenticated': 401,
  'certificate-not-offered': 403,
  'outside-hours': 403,
  'dv-block': 403,
  internal: 500,
};
