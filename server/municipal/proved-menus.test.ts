import { describe, expect, it } from 'vitest';
import { answerKey, createProvedMenus } from './proved-menus.ts';

const AT = { day: '2026-11-25', registerVersion: 7 };
const ANSWERS = new Map([
  [answerKey('juminhyo', 'self'), true],
  [answerKey('inkan'), false],
  [answerKey('kazei'), undefined],
]);

describe('proved menus', () => {
  it('answers only at the date and register version proved', () => {
    const proved = createProvedMenus(10);
    proved.remember('H0001', AT, ANSWERS);
    expect(proved.answersAt('H0001', AT)).toBe(ANSWERS);
    expect(proved.answersAt('H0001', { ...AT, registerVersion: 8 })).toBeUndefined();
    expect(proved.answersAt('H0001', { ...AT, day: '2026-11-26' })).toBeUndefined();
    expect(proved.answersAt('H0002', AT)).toBeUndefined();
  });

  it('keeps the latest answers of a resident, and at most the residents it was given room for', () => {
    const proved = createProvedMenus(2);
    proved.remember('H0001', AT, ANSWERS);
    const later = { ...AT, registerVersion: 9 };
    proved.remember('H0001', later, new Map([[answerKey('inkan'), true]]));
    expect(proved.answersAt('H0001', AT)).toBeUndefined();
    expect(proved.answersAt('H0001', later)?.get('inkan')).toBe(true);
    proved.remember('H0002', AT, ANSWERS);
    // H0001, remembered before H0002, is the oldest and goes first.
    proved.remember('H0003', AT, ANSWERS);
    expect(proved.size).toBe(2);
    expect(proved.answersAt('H0001', later)).toBeUndefined();
    expect(proved.answersAt('H0002', AT)).toBe(ANSWERS);
    expect(proved.answersAt('H0003', AT)).toBe(ANSWERS);
  });

  it('names an answer by certificate type and, for the 住民票, the scope', () => {
    expect(answerKey('juminhyo', 'household')).toBe('juminhyo/household');
    expect(answerKey('inkan')).toBe('inkan');
  });
});
