/** The admin API's refusals: the caller's fault is 4xx, a failure of ours (the database) is 500. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { CentreRepository } from '../db/repository.ts';
import type { RegisterStore } from '../municipal/register-store.ts';
import { buildAdminApp } from './admin-app.ts';
import type { SealKeyring } from '../keys/seal-keyring.ts';
import { loadSeedWorld } from '../seed/index.ts';

const CODE = '131016';
const TOKEN = 'token-131016';
const auth = { authorization: `Bearer ${TOKEN}` };

class DatabaseDown extends Error {
  override readonly name = 'DatabaseDown';
}
const down = async (): Promise<never> => {
  throw new DatabaseDown('SQLITE_BUSY: database is locked');
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function adminWith(registers: Partial<RegisterStore>, repository: Partial<CentreRepository> = {}) {
  app = buildAdminApp({
    registers: registers as RegisterStore,
    repository: repository as CentreRepository,
    keyring: {} as SealKeyring,
    tokens: { [CODE]: TOKEN },
  });
  return app;
}

describe('admin API error mapping', () => {
  it('a database failure is 500 internal, not 400', async () => {
    const admin = adminWith({ listUseRegistrations: down, getUseRegistration: down, inkanOf: down });
    for (const request of [
      { method: 'GET' as const, url: `/admin/v1/municipalities/${CODE}/koseki-registrations` },
      {
        method: 'POST' as const,
        url: `/admin/v1/municipalities/${CODE}/koseki-registrations/R1/decision`,
        payload: { decision: 'approved' },
      },
      { method: 'POST' as const, url: `/admin/v1/municipalities/${CODE}/inkan/H0002/abolish`, payload: {} },
    ]) {
      const answer = await admin.inject({ ...request, headers: auth });
      expect({ status: answer.statusCode, body: answer.json() }).toEqual({
        status: 500,
        body: { error: 'internal' },
      });
    }
  });

  it('a failure saving valid rules is 500 as well', async () => {
    const admin = adminWith({}, { putMunicipality: down });
    const rules = loadSeedWorld().municipalities.find((m) => m.code === CODE);
    const answer = await admin.inject({
      method: 'PUT',
      url: `/admin/v1/municipalities/${CODE}/rules`,
      headers: auth,
      payload: rules,
    });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({
      status: 500,
      body: { error: 'internal' },
    });
  });

  it.each([
    ['unreadable JSON', { 'content-type': 'application/json' }, '{"decision":', 400, 'bad-request'],
    [
      'a body over the limit',
      { 'content-type': 'application/json' },
      `"${'x'.repeat(300 * 1024)}"`,
      413,
      'payload-too-large',
    ],
    ['an unknown media type', { 'content-type': 'text/csv' }, 'a,b', 415, 'unsupported-media-type'],
  ])('the caller’s mistake stays 4xx: %s', async (_name, headers, payload, status, error) => {
    const admin = adminWith({ getUseRegistration: down });
    const answer = await admin.inject({
      method: 'POST',
      url: `/admin/v1/municipalities/${CODE}/koseki-registrations/R1/decision`,
      headers: { ...auth, ...headers },
      payload,
    });
    expect({ status: answer.statusCode, body: answer.json() }).toEqual({ status, body: { error } });
  });

  it('an unknown path is 404, a wrong token 401', async () => {
    const admin = adminWith({});
    expect((await admin.inject({ method: 'GET', url: '/admin/v1/nothing', headers: auth })).statusCode).toBe(
      404,
    );
    const wrong = await admin.inject({
      method: 'GET',
      url: `/admin/v1/municipalities/${CODE}/koseki-registrations`,
      headers: { authorization: 'Bearer wrong' },
    });
    expect(wrong.statusCode).toBe(401);
  });
});
