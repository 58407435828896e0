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
      payload: {
        sessionId: '00000000-0000-4000-8000-000000000000',
        challenge: 'AAAA',
        certificate: 'AAAA',
        signature: 'AAAA',
        signatureAlgorithm: 'RS256',
        cardFace: 'AAAA',
        basicInfo: 'AAAA',
        selfie: 'AAAA',
      },
    });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 403,
      body: { error: { code: 'face-mismatch' } },
    });
  });
});
