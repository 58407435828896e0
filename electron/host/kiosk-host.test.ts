import { describe, expect, it } from 'vitest';
import { eventForIntent } from './kiosk-host.ts';

describe('intents from the page are untrusted', () => {
  it('accepts well-formed intents', () => {
    expect(eventForIntent({ type: 'pin-digit', digit: 7 })).toEqual({ type: 'PIN_DIGIT', digit: 7 });
    expect(eventForIntent({ type: 'choose-certificate', certificateType: 'juminhyo' })).toEqual({
      type: 'CHOOSE',
      certificateType: 'juminhyo',
    });
    expect(eventForIntent({ type: 'set-language', language: 'en' })).toEqual({
      type: 'SET_LANGUAGE',
      language: 'en',
    });
  });

  it('accepts the confirm screen’s choices and the 利用登録 intents', () => {
    expect(eventForIntent({ type: 'set-scope', scope: 'members' })).toEqual({
      type: 'SET_SCOPE',
      scope: 'members',
    });
    expect(eventForIntent({ type: 'toggle-member', order: 3 })).toEqual({ type: 'TOGGLE_MEMBER', order: 3 });
    expect(eventForIntent({ type: 'set-honseki', include: true })).toEqual({
      type: 'SET_HONSEKI',
      include: true,
    });
    expect(eventForIntent({ type: 'set-relationship', include: false })).toEqual({
      type: 'SET_RELATIONSHIP',
      include: false,
    });
    expect(eventForIntent({ type: 'set-tax-year', year: 2025 })).toEqual({
      type: 'SET_TAX_YEAR',
      year: 2025,
    });
    expect(eventForIntent({ type: 'request-koseki-registration' })).toEqual({ type: 'REQUEST_REGISTRATION' });
    expect(eventForIntent({ type: 'back-to-menu' })).toEqual({ type: 'BACK_TO_MENU' });
  });

  it('refuses malformed choices', () => {
    for (const intent of [
      { type: 'set-scope', scope: 'everyone' },
      { type: 'set-scope', scope: 'toString' },
      { type: 'set-scope' },
      { type: 'toggle-member', order: 0 },
      { type: 'toggle-member', order: 100 },
      { type: 'toggle-member', order: 1.5 },
      { type: 'toggle-member', order: '1' },
      { type: 'set-honseki', include: 'yes' },
      { type: 'set-honseki' },
      { type: 'set-relationship', include: 1 },
      { type: 'set-tax-year', year: 1999 },
      { type: 'set-tax-year', year: 2101 },
      { type: 'set-tax-year', year: 2025.5 },
      { type: 'set-tax-year', year: '2025' },
      // 個人番号 cannot be asked for from the page.
      { type: 'set-my-number', include: true },
    ]) {
      expect(eventForIntent(intent), JSON.stringify(intent)).toBeUndefined();
    }
  });

  it('refuses malformed or hostile intents', () => {
    for (const intent of [
      null,
      'pin-digit',
      { type: 'pin-digit', digit: 10 },
      { type: 'pin-digit', digit: -1 },
      { type: 'pin-digit', digit: 1.5 },
      { type: 'pin-digit', digit: '1' },
      { type: 'set-language', language: 'fr' },
      { type: 'choose-certificate', certificateType: '../../etc/passwd' },
      { type: 'insert-money', yen: '100' },
      { type: '__proto__' },
    ]) {
      expect(eventForIntent(intent)).toBeUndefined();
    }
  });
});
