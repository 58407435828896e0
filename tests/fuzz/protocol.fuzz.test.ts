import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentreClient, type CentreClient } from '../../electron/host/centre-client.ts';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { CERTIFICATE_TYPES } from '../../protocol/certificate-types.ts';
import { CentreErrorBodySchema } from '../../protocol/errors.ts';
import { buildOpenApiDocument } from '../../protocol/openapi.ts';
import { createCentre, type Centre } from '../../server/centre.ts';
import { testSealKeyStore } from '../../server/test-support/seal-keys.ts';
import { fuzzParameters } from './settings.ts';

/**
 * Protocol messages on both sides of the link under hostile input: the centre answers any
 * request body with a typed refusal (never a 5xx), and the kiosk's centre client turns any
 * answer into a contract-valid value or a typed failure (never a throw).
 */
const terminalId = fc.oneof(fc.constant('S0001-T01'), fc.string({ maxLength: 30 }));
const transactionId = fc.oneof(fc.constant(randomUUID()), fc.uuid(), fc.string({ maxLength: 40 }));
const base64ish = fc.oneof(fc.base64String({ maxLength: 200 }), fc.string({ maxLength: 50 }));

const requestBodies: Record<string, fc.Arbitrary<unknown>> = {
  '/v1/challenge': fc.record({ transactionId, terminalId }, { requiredKeys: [] }),
  '/v1/authenticate': fc.record(
    {
      transactionId,
      terminalId,
      challenge: base64ish,
      certificate: base64ish,
      signature: base64ish,
      signatureAlgorithm: fc.constantFrom('RS256', 'ES256', ''),
    },
    { requiredKeys: [] },
  ),
  '/v1/issue': fc.record(
    {
      transactionId,
      terminalId,
      certificateType: fc.oneof(fc.constantFrom(...CERTIFICATE_TYPES), fc.string()),
      copies: fc.oneof(fc.integer({ min: -2, max: 12 }), fc.double()),
      options: fc.oneof(fc.jsonValue(), fc.record({ scope: fc.string(), members: fc.array(fc.integer()) })),
    },
    { requiredKeys: [] },
  ),
  '/v1/pin-reset/command': fc.record(
    {
      transactionId,
      terminalId,
      challenge: base64ish,
      oneTimePassword: fc.oneof(fc.stringMatching(/^[0-9]{8}$/), fc.string({ maxLength: 20 })),
      newSigningPin: fc.oneof(fc.stringMatching(/^[A-Z0-9]{6,16}$/), fc.string({ maxLength: 40 })),
    },
    { requiredKeys: [] },
  ),
  '/v1/pin-reset/confirm': fc.record(
    { transactionId, terminalId, challenge: base64ish, response: base64ish },
    { requiredKeys: [] },
  ),
  '/v1/heartbeat': fc.record(
    {
      terminalId,
      sentAt: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
      ),
      health: fc.jsonValue(),
      signature: base64ish,
    },
    { requiredKeys: [] },
  ),
  '/v1/koseki-registration': fc.record(
    { transactionId, terminalId, consent: fc.jsonValue() },
    { requiredKeys: [] },
  ),
};

describe('the centre under hostile request bodies', () => {
  let centre: Centre;

  beforeAll(async () => {
    const ca = await sharedTestCa();
    centre = await createCentre({
      databasePath: ':memory:',
      trustedCaCertificates: [new Uint8Array(ca.auth.certificate.rawData)],
      certificateRegistry: [],
      sealKeys: { store: await testSealKeyStore() },
      pinReset: { masterKey: randomBytes(32), mode: 'password' },
      now: () => new Date('2026-11-25T03:00:00Z'),
      logger: { stream: { write: () => undefined } },
    });
  }, 60_000); // the test CA's RSA keys and the seed register take long on a busy machine

  afterAll(async () => {
    await centre?.app.close();
  });

  it('serves exactly the routes protocol/openapi.json documents (and the operators’ /v1/health)', () => {
    const documented = Object.entries(buildOpenApiDocument().paths as Record<string, object>).flatMap(
      ([path, item]) =>
        Object.keys(item)
          .filter((key) => key === 'get' || key === 'post')
          .map((method) => `${path.replace(/\{(\w+)\}/g, ':$1')} ${method.toUpperCase()}`),
    );
    // Fastify's route tree, one "├── /path (POST)" line per route (GET answers HEAD as well).
    const served = centre.app
      .printRoutes({ commonPrefix: false })
      .split('\n')
      .flatMap((line) => {
        const match = /(\/\S*) \(([A-Z, ]+)\)/.exec(line);
        if (!match) return [];
        const methods = (match[2] ?? '').split(', ').filter((m) => m !== 'HEAD');
        return methods.map((method) => `${match[1]} ${method}`);
      })
      .filter((route) => route !== '/v1/health GET');
    expect(served.sort()).toEqual(documented.sort());
  });

  for (const [route, shaped] of Object.entries(requestBodies)) {
    it(`answers ${route} with a typed refusal, never a server error`, async () => {
      const body = fc.oneof(
        shaped.map((b) => JSON.stringify(b)),
        fc.jsonValue().map((b) => JSON.stringify(b)),
        fc.string({ maxLength: 80 }),
      );
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          const response = await centre.app.inject({
            method: 'POST',
            url: route,
            headers: { 'content-type': 'application/json' },
            payload,
          });
          expect(response.statusCode, response.body).toBeLessThan(500);
          if (response.statusCode >= 400) {
            expect(CentreErrorBodySchema.safeParse(response.json()).success, response.body).toBe(true);
          }
        }),
        fuzzParameters(150),
      );
    });
  }
});

describe('the kiosk’s centre client under hostile answers', () => {
  let server: Server;
  let client: CentreClient;
  let answer: { status: number; body: string } = { status: 200, body: '{}' };

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = createCentreClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      timeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await client?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('turns any answer into a contract-valid value or a typed failure', async () => {
    const status = fc.constantFrom(200, 400, 403, 404, 409, 500, 503);
    const body = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 100 }),
      fc
        .record({ error: fc.record({ code: fc.string(), message: fc.string() }) })
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(status, body, async (s, b) => {
        answer = { status: s, body: b };
        const result = await client.issue({
          transactionId: randomUUID(),
          terminalId: 'S0001-T01',
          certificateType: 'juminhyo',
          copies: 1,
        });
        if (result.ok) expect(s).toBe(200);
        else
          expect(['centre-bad-response', 'centre-error', 'centre-unreachable']).toContain(
            result.failure.kind,
          );
      }),
      fuzzParameters(150),
    );
  });
});
