import { describe, expect, it } from 'vitest';
import {
  choiceComplete,
  confirmOptionsView,
  initialChoice,
  issueOptionsFor,
  offeredOptions,
  toggleMember,
  type HouseholdLookup,
} from './certificate-options.ts';

const LOADED: HouseholdLookup = {
  state: 'loaded',
  members: [
    { order: 1, name: '山田 太郎' },
    { order: 2, name: '山田 花子' },
    { order: 3, name: '山田 一郎' },
  ],
};

describe('certificate options on the kiosk', () => {
  it('never offers 個人番号, and offers members before any name is known', () => {
    const allowed = { scopes: ['household', 'self', 'members'] as const, honseki: true, myNumber: true };
    const offered = offeredOptions({ ...allowed, scopes: [...allowed.scopes] });
    expect(offered).toEqual({
      scopes: ['household', 'self', 'members'],
      honseki: true,
      relationship: false,
      taxYears: [],
    });
    expect(JSON.stringify(offered)).not.toContain('myNumber');
    expect(offeredOptions(undefined)).toEqual({
      scopes: [],
      honseki: false,
      relationship: false,
      taxYears: [],
    });
  });

  it('starts from the centre’s defaults for each type', () => {
    const offered = offeredOptions({
      scopes: ['household', 'self', 'members'],
      relationship: true,
      honseki: true,
    });
    expect(initialChoice('juminhyo', offered)).toEqual({
      scope: 'household',
      members: [],
      includeHonseki: false,
      includeRelationship: true,
      taxYear: null,
    });
    expect(initialChoice('juminhyo-kisai', offered).scope).toBe('self');
    const selfOnly = offeredOptions({ scopes: ['self'] });
    expect(initialChoice('juminhyo', selfOnly).scope).toBe('self');
    const tax = offeredOptions({ taxYears: [2025, 2024, 2023] });
    expect(initialChoice('shotoku-kazei', tax).taxYear).toBe(2025);
  });

  it('sends only what the item allows, and nothing for an item without choices', () => {
    const offered = offeredOptions({
      scopes: ['household', 'self', 'members'],
      relationship: true,
      honseki: true,
    });
    const choice = { ...initialChoice('juminhyo', offered), scope: 'members' as const, members: [3, 1] };
    expect(issueOptionsFor(offered, choice)).toEqual({
      scope: 'members',
      members: [1, 3],
      includeHonseki: false,
      includeRelationship: true,
    });
    expect(issueOptionsFor(offered, { ...choice, scope: 'self' })).toEqual({
      scope: 'self',
      includeHonseki: false,
      includeRelationship: true,
    });
    const tax = offeredOptions({ taxYears: [2025, 2024] });
    expect(issueOptionsFor(tax, { ...initialChoice('nozei', tax), taxYear: 2024 })).toEqual({
      taxYear: 2024,
    });
    // A year the municipality does not hold is never sent.
    expect(issueOptionsFor(tax, { ...initialChoice('nozei', tax), taxYear: 2019 })).toBeUndefined();
    const none = offeredOptions(undefined);
    expect(issueOptionsFor(none, initialChoice('inkan', none))).toBeUndefined();
  });

  it('shows members with who is chosen, and is incomplete while nobody is', () => {
    const offered = offeredOptions({ scopes: ['household', 'members'], relationship: true });
    const choice = { ...initialChoice('juminhyo', offered), scope: 'members' as const };
    expect(choiceComplete(choice)).toBe(false);
    const two = { ...choice, members: toggleMember(toggleMember([], 2), 1) };
    expect(two.members).toEqual([1, 2]);
    expect(choiceComplete(two)).toBe(true);
    expect(toggleMember(two.members, 2)).toEqual([1]);
    expect(confirmOptionsView(offered, two, LOADED)).toEqual({
      scope: { allowed: ['household', 'members'], chosen: 'members' },
      members: [
        { order: 1, name: '山田 太郎', chosen: true },
        { order: 2, name: '山田 花子', chosen: true },
        { order: 3, name: '山田 一郎', chosen: false },
      ],
      relationship: true,
    });
    // The household list shows only while `members` is the scope.
    expect(confirmOptionsView(offered, { ...two, scope: 'household' }, LOADED)?.members).toBeUndefined();
    const none = offeredOptions(undefined);
    expect(confirmOptionsView(none, initialChoice('inkan', none), LOADED)).toBeUndefined();
  });

  it('says the list is on its way, or could not come, until the centre has sent it', () => {
    const offered = offeredOptions({ scopes: ['household', 'members'] });
    const choice = { ...initialChoice('juminhyo', offered), scope: 'members' as const };
    expect(confirmOptionsView(offered, choice, { state: 'loading' })).toEqual({
      scope: { allowed: ['household', 'members'], chosen: 'members' },
      membersStatus: 'loading',
    });
    expect(confirmOptionsView(offered, choice, { state: 'failed' })?.membersStatus).toBe('failed');
    // Another scope: neither a list nor a status.
    const household = confirmOptionsView(offered, { ...choice, scope: 'household' }, { state: 'not-asked' });
    expect(household).toEqual({ scope: { allowed: ['household', 'members'], chosen: 'household' } });
  });
});
