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
