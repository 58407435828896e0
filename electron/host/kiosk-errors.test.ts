import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/src/i18n/en.ts';
import { ja } from '../../renderer/src/i18n/ja.ts';
import { kioskErrorForCentre } from './kiosk-errors.ts';

describe('centre refusals on the kiosk', () => {
  it.each([
    ['age-restricted', 403],
    ['registration-needed', 403],
    ['no-registration', 403],
    ['option-not-allowed', 403],
    ['fee-changed', 409],
  ] as const)('shows %s as its own screen, with a message in both languages', (code, status) => {
    const kiosk = kioskErrorForCentre({ kind: 'centre-error', code, status });
    expect(kiosk).toBe(code);
    expect(ja.kioskError[kiosk].body).not.toBe(ja.kioskError['certificate-not-offered'].body);
    expect(en.kioskError[kiosk].title.length).toBeGreaterThan(0);
  });
});
