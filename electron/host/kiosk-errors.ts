import type { CentreErrorCode } from '../../protocol/index.ts';
import type { KioskErrorCode } from '../kiosk-api.ts';
import type { CardFailure } from './card-port.ts';
import type { CentreFailure } from './centre-client.ts';

/** What the resident sees for each centre error code. */
const CENTRE_TO_KIOSK: Readonly<Record<CentreErrorCode, KioskErrorCode>> = {
  'bad-request': 'internal',
  'terminal-unknown': 'internal',
  'challenge-unknown': 'internal',
  'challenge-expired': 'timeout',
  'challenge-used': 'internal',
  'signature-invalid': 'certificate-invalid',
  'certificate-malformed': 'certificate-invalid',
  'certificate-not-yet-valid': 'certificate-invalid',
  'certificate-expired': 'certificate-expired',
  'certificate-untrusted': 'certificate-invalid',
  'certificate-revoked': 'certificate-revoked',
  'certificate-wrong-usage': 'certificate-invalid',
  'resident-unknown': 'certificate-invalid',
  'resident-moved-out': 'resident-moved-out',
  'resident-deceased': 'resident-deceased',
  'municipality-not-participating': 'municipality-not-participating',
  'not-authenticated': 'internal',
  'issue-replay-refused': 'internal',
  'certificate-not-offered': 'certificate-not-offered',
  'age-restricted': 'age-restricted',
  'registration-needed': 'registration-needed',
  'no-registration': 'no-registration',
  'option-not-allowed': 'option-not-allowed',
  'outside-hours': 'outside-hours',
  'dv-block': 'dv-block',
  'fee-changed': 'fee-changed',
  'document-unprintable': 'document-unprintable',
  'not-issued': 'internal',
  'delivery-conflict': 'internal',
  internal: 'internal',
};

export function kioskErrorForCentre(failure: CentreFailure): KioskErrorCode {
  switch (failure.kind) {
    case 'centre-error':
      return CENTRE_TO_KIOSK[failure.code];
    case 'centre-unreachable':
    case 'centre-bad-response':
      return 'centre-unreachable';
  }
}

export function kioskErrorForCard(failure: CardFailure): KioskErrorCode {
  switch (failure.kind) {
    case 'card-removed':
      return 'card-removed';
    case 'card-unsupported':
      return 'card-unsupported';
    case 'timeout':
      return 'timeout';
    case 'no-reader':
    case 'card-communication':
      return 'card-communication';
  }
}
