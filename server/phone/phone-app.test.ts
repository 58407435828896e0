/** The phone's own app: the page only once given its script, the policy, the routes. */
import { describe, expect, it } from 'vitest';
import { buildPhoneApp } from './phone-app.ts';
import type { PhoneService } from './phone-service.ts';

const service: PhoneService = {
  challenge: async () => ({
    sessionId: '00000000-0000-4000-8000-000000000000',
    challenge: 'AAAA',
    terminalId: 'PHONE-APP',
    expiresAt: '2026-01-01T00:00:00Z',
  }),
  pinReset: async () => ({ ok: false, error: { kind: 'face-mismatch' } }),
};

/** A face-check request presenting `certificate` (base64): the card the per-card limit counts. */
const attempt = (certificate: string) => ({
  sessionId: '00000000-0000-4000-8000-000000000000',
  challenge: 'AAAA',
  certificate,
  signature: 'AAAA',
  signatureAlgorithm: 'RS256',
  cardFace: 'AAAA',
  basicInfo: 'AAAA',
  selfie: 'AAAA',
});

describe('phone app', () => {
  it('serves the page and its script only once given the script, and the endpoints always', async () => {
    const phone = buildPhoneApp({ service, logger: false });
    expect((await phone.app.inject({ method: 'POST', url: '/v1/phone/challenge' })).statusCode).toBe(200);
    const fresh = buildPhoneApp({ service, logger: false });
    fresh.servePage('console.log("page")');
    const page = await fresh.app.inject({ method: 'GET', url: '/phone/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<script type="module" src="/phone/phone.js"></script>');
    expect((await fresh.app.inject({ method: 'GET', url: '/phone/phone.js' })).body).toBe(
      'console.log("page")',
    );
    expect((await phone.app.inject({ method: 'GET', url: '/phone/' })).statusCode).toBe(404);
  });

  it('lets the page reach a loopback card bridge in development only', async () => {
    const policy = async (allowLoopbackCardBridge: boolean) => {
      const phone = buildPhoneApp({ service, logger: false, allowLoopbackCardBridge });
      phone.servePage('');
      const page = await phone.app.inject({ method: 'GET', url: '/phone/' });
      return String(page.headers['content-security-policy']);
    };
    expect(await policy(true)).toContain("connect-src 'self' ws://127.0.0.1:*");
    expect(await policy(false)).toContain("connect-src 'self';");
    expect(await policy(false)).toContain("script-src 'self';");
  });

  it('answers a refusal with its code and status', async () => {
    const phone = buildPhoneApp({ service, logger: false });
    const answer = await phone.app.inject({
      method: 'POST',
      url: '/v1/phone/pin-reset',
      payload: attempt('AAAA'),
    });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 403,
      body: { error: { code: 'face-mismatch' } },
    });
  });

  it('limits face checks per card and per source: 429 too-many-attempts, the service not asked', async () => {
    let asked = 0;
    let clock = new Date('2026-12-02T09:00:00Z');
    const phone = buildPhoneApp({
      service: { ...service, pinReset: async (r) => ((asked += 1), service.pinReset(r)) },
      logger: false,
      now: () => clock,
      attemptLimits: {
        perCard: { max: 2, windowMs: 600_000 },
        perSource: { max: 3, windowMs: 600_000 },
      },
    });
    const post = (certificate: string, remoteAddress = '203.0.113.7') =>
      phone.app.inject({
        method: 'POST',
        url: '/v1/phone/pin-reset',
        remoteAddress,
        payload: attempt(certificate),
      });
    expect((await post('AAAA')).statusCode).toBe(403);
    expect((await post('AAAA')).statusCode).toBe(403);
    const byCard = await post('AAAA', '198.51.100.9'); // the card's third try, from elsewhere
    expect({ status: byCard.statusCode, body: byCard.json(), retry: byCard.headers['retry-after'] }).toEqual({
      status: 429,
      body: { error: { code: 'too-many-attempts', retryAfterSeconds: 600 } },
      retry: '600',
    });
    expect((await post('BBBB')).statusCode).toBe(403); // another card: the source's third
    const bySource = await post('CCCC'); // the source's fourth
    expect(bySource.statusCode).toBe(429);
    expect(bySource.json()).toEqual({ error: { code: 'too-many-attempts', retryAfterSeconds: 600 } });
    expect(asked).toBe(3);
    // Ten minutes after the first attempts, both windows have room again.
    clock = new Date(clock.getTime() + 600_000);
    expect((await post('AAAA')).statusCode).toBe(403);
    expect(asked).toBe(4);
  });
});
