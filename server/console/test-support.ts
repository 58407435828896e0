/**
 * Test helpers for the console: a centre on a fresh SQLite file with the console app on it, the
 * development users (one per municipality and role), and a browser-like client over `inject` that
 * keeps its session cookie and reads the CSRF token from the pages it gets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createCentre, type Centre } from '../centre.ts';
import { testSealKeyStore } from '../test-support/seal-keys.ts';
import { buildConsoleApp, SESSION_COOKIE, type ConsoleRoute } from './console-app.ts';
import { seedDevelopmentUsers, type DevelopmentUser } from './dev-users.ts';
import type { ConsoleRole } from './roles.ts';

export const CHIYODA = '131016';
export const KAGA = '172065';
export const NOON_WEDNESDAY = new Date('2026-11-25T03:00:00Z');

export interface ConsoleWorld {
  centre: Centre;
  app: FastifyInstance & { consoleRoutes: ConsoleRoute[] };
  users: DevelopmentUser[];
  clock: { now: Date };
  dir: string;
  close(): Promise<void>;
  userFor(code: string, role: ConsoleRole): DevelopmentUser;
}

export async function startConsoleWorld(databasePath?: string): Promise<ConsoleWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'console-'));
  const clock = { now: NOON_WEDNESDAY };
  const now = () => clock.now;
  const centre = await createCentre({
    databasePath: databasePath ?? join(dir, 'centre.sqlite'),
    trustedCaCertificates: [],
    certificateRegistry: [],
    sealKeys: { store: await testSealKeyStore() },
    now,
    logger: false,
  });
  const users = await seedDevelopmentUsers(
    centre.consoleStore,
    [CHIYODA, KAGA],
    'development',
    now().getTime(),
  );
  const app = buildConsoleApp({
    repository: centre.repository,
    registers: centre.registers,
    store: centre.consoleStore,
    fleet: centre.fleet,
    now,
  });
  await app.ready();
  return {
    centre,
    app,
    users,
    clock,
    dir,
    userFor(code, role) {
      const user = users.find((u) => u.municipalityCode === code && u.role === role);
      if (!user) throw new Error(`no ${role} for ${code}`);
      return user;
    },
    async close() {
      await app.close();
      await centre.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A browser over inject: its cookie, and the CSRF token of the last page that had one. */
export class ConsoleClient {
  cookie: string | undefined;
  csrf: string | undefined;
  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse) {
    const set = response.cookies.find((c) => c.name === SESSION_COOKIE);
    if (set) this.cookie = set.value === '' ? undefined : set.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (token?.[1]) this.csrf = token[1];
    return response;
  }

  async get(url: string) {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        ...(this.cookie ? { cookies: { [SESSION_COOKIE]: this.cookie } } : {}),
      }),
    );
  }

  /** A form POST; the session's CSRF token is added unless `csrf` says otherwise. */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | null; origin?: string; fetchSite?: string } = {},
  ) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form))
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf !== null && csrf !== undefined) params.set('_csrf', csrf);
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        payload: params.toString(),
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...(opts.origin ? { origin: opts.origin } : {}),
          ...(opts.fetchSite ? { 'sec-fetch-site': opts.fetchSite } : {}),
        },
        ...(this.cookie ? { cookies: { [SESSION_COOKIE]: this.cookie } } : {}),
      }),
    );
  }

  /** Signs in and loads the landing page (for its CSRF token); the sign-in answer. */
  async signIn(login: string, password: string) {
    const answer = await this.post('/console/sign-in', { login, password });
    if (answer.statusCode === 303) await this.get(answer.headers.location as string);
    return answer;
  }
}

export async function signedInAs(
  world: ConsoleWorld,
  code: string,
  role: ConsoleRole,
): Promise<ConsoleClient> {
  const user = world.userFor(code, role);
  const client = new ConsoleClient(world.app);
  const answer = await client.signIn(user.login, user.password);
  if (answer.statusCode !== 303) throw new Error(`sign-in as ${user.login} answered ${answer.statusCode}`);
  return client;
}

/** The named inputs of a page's rules form as a browser would send them (checked boxes only). */
export function formFields(page: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const existing = fields[name];
    fields[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  };
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  for (const m of page.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const name = /name="([^"]+)"/.exec(attrs)?.[1];
    if (!name || name === '_csrf') continue;
    const value = unescape(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    if (/type="checkbox"/.test(attrs)) {
      if (/\bchecked\b/.test(attrs)) add(name, value);
    } else add(name, value);
  }
  for (const m of page.matchAll(/<textarea name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
    add(m[1] ?? '', unescape(m[2] ?? ''));
  return fields;
}
