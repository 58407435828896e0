import { describe, expect, it } from 'vitest';
import type { KioskSnapshot } from '../kiosk-api.ts';
import { whenSessionEnds } from './page-data.ts';

describe('whenSessionEnds', () => {
  it('tells once per session, when it closes, and not for a welcome screen alone', () => {
    let listener: (snapshot: KioskSnapshot) => void = () => undefined;
    const host = { onSnapshot: (l: typeof listener) => ((listener = l), () => undefined) };
    let ended = 0;
    whenSessionEnds(host, () => (ended += 1));
    const welcome: KioskSnapshot = {
      transactionId: null,
      language: 'ja',
      view: { screen: 'welcome', reader: 'ready' },
    };
    const inSession: KioskSnapshot = {
      transactionId: '5a6b7c8d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
      language: 'ja',
      view: { screen: 'place-card', reader: 'ready' },
    };
    listener(welcome);
    expect(ended).toBe(0);
    listener(inSession);
    listener({ ...inSession, language: 'en' });
    expect(ended).toBe(0);
    listener(welcome);
    expect(ended).toBe(1);
    listener(welcome);
    expect(ended).toBe(1);
    listener(inSession);
    listener(welcome);
    expect(ended).toBe(2);
  });
});
