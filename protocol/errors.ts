import { z } from 'zod';

/**
 * Every error the centre returns is one of these codes. Each maps to a resident-facing message
 * key (`error.<code>`) that the kiosk renders in the resident's language.
 */
export const CENTRE_ERROR_CODES = [
  'bad-request',
  'terminal-unknown',
  'challenge-unknown',
  'challenge-expired',
  'challenge-used',
  'signature-invalid',
  'certificate-malformed',
  'certificate-not-yet-valid',
  'certificate-expired',
  'certificate-untrusted',
  'certificate-revoked',
  'certificate-wrong-usage',
  'resident-unknown',
  'resident-moved-out',
  'resident-deceased',
  'municipality-not-participating',
  'not-authenticated',
  'issue-replay-refused', // a retry of an issued transaction that differs from the first request, or whose document is no longer kept
  'certificate-not-offered',
  'age-restricted', // under the minimum age the municipality set
  'registration-needed', // 利用登録 with the 本籍地 not (yet) approved
  'no-registration', // nothing on the register to certify, e.g. no 印鑑登録 or abolished
  'option-not-allowed', // an option the municipality does not allow
  'outside-hours',
  'dv-block',
  'fee-changed', // the fee quoted on the menu is no longer the municipality's fee: nothing issued
  'document-unprintable', // the document would not print (certificate-templates checkPrintable): nothing issued or billed
  'not-issued', // a delivery report for a transaction the centre issued nothing for
  'delivery-conflict', // a delivery report different from the one already recorded
  'internal',
] as const;

export const CentreErrorCodeSchema = z.enum(CENTRE_ERROR_CODES);
export type CentreErrorCode = z.infer<typeof CentreErrorCodeSchema>;

export const CentreErrorBodySchema = z.object({
  error: z.object({
    code: CentreErrorCodeSchema,
    messageKey: z.string(),
  }),
});
export type CentreErrorBody = z.infer<typeof CentreErrorBodySchema>;

export function messageKeyFor(code: CentreErrorCode): string {
  return `error.${code}`;
}
