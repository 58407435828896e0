import { describe, expect, it } from 'vitest';
import type { KioskScreen } from '../../electron/kiosk-api.ts';
import { refusedOption } from './drive.ts';

const confirm = (options: Extract<KioskScreen, { screen: 'confirm' }>['options']): KioskScreen => ({
  screen: 'confirm',
  certificateType: 'juminhyo',
  copies: 1,
  maxCopies: 5,
  feeYen: 300,
  totalYen: 300,
  ...(options ? { options } : {}),
});

describe('refusedOption: a choice the confirm screen does not offer is refused with its reason', () => {
  it('names 本籍・筆頭者 when the municipality does not allow it', () => {
    const view = confirm({
      scope: { allowed: ['household', 'self'], chosen: 'household' },
      relationship: true,
    });
    expect(refusedOption(view, { includeHonseki: true })).toMatch(
      /本籍・筆頭者.*not offered by this municipality/,
    );
    expect(refusedOption(view, { scope: 'members' })).toMatch(/scope members is not offered/);
    expect(refusedOption(view, { taxYear: 2025 })).toMatch(/fiscal year 2025 is not available/);
  });

  it('accepts choices the screen offers', () => {
    const view = confirm({
      scope: { allowed: ['household', 'self', 'members'], chosen: 'household' },
      honseki: false,
      relationship: true,
    });
    expect(
      refusedOption(view, { includeHonseki: true, scope: 'self', includeRelationship: false }),
    ).toBeUndefined();
    // The household list itself appears only after the scope `members` is set.
    expect(refusedOption(view, { scope: 'members', members: [2, 5] })).toBeUndefined();
    expect(
      refusedOption(confirm({ scope: { allowed: ['household', 'self'], chosen: 'household' } }), {
        members: [2],
      }),
    ).toMatch(/choosing members is not offered/);
  });
});
