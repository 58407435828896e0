import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT_MS, LOCKOUT_THRESHOLD, tokenSha256 } from './auth.ts';
import { SESSION_COOKIE } from './console-app.ts';
import {
  CHIYODA,
  ConsoleClient,
  NOON_WEDNESDAY,
  signedInAs,
  startConsoleWorld,
  type ConsoleWorld,
} from './test-support.ts';

/** Sign-in, the session cookie, CSRF and lock-out of the municipal console. */
let world: ConsoleWorld;
beforeAll(async () => {
  world = await startConsoleWorld();
});
afterAll(() => world.close());

describe('sign-in and sessions', () => {
  it('stores passwords as Argon2id hashes and never the password', async () => {
    const editor = world.userFor(CHIYODA, 'editor');
    const stored = await world.centre.consoleStore.userByLogin(editor.login);
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored?.passwordHash).not.toContain(editor.password);
  });

  it('a wrong password is refused; the right one gives an HttpOnly, SameSite=Strict session cookie', async () => {
    const editor = world.userFor(CHIYODA, 'editor');
    const client = new ConsoleClient(world.app);
    const wrong = await client.post('/console/sign-in', {
      login: editor.login,
      password: 'not-the-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('利用者名またはパスワードが違います');
    expect(client.cookie).toBeUndefined();
    const unknown = await client.post('/console/sign-in', {
      login: 'nobody@131016',
      password: 'whatever-it-is',
    });
    expect(unknown.statusCode).toBe(401);

    const right = await client.post('/console/sign-in', { login: editor.login, password: editor.password });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`/console/m/${CHIYODA}`);
    const setCookie = String(right.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/console');
    // Only the token's hash is kept: the cookie's value is nowhere in the database.
    const token = right.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    expect(token.length).toBeGreaterThanOrEqual(43);
    expect(await world.centre.consoleStore.sessionByTokenSha256(token)).toBeUndefined();
    expect(await world.centre.consoleStore.sessionByTokenSha256(tokenSha256(token))).toBeDefined();
    expect((await client.get(`/console/m/${CHIYODA}`)).statusCode).toBe(200);
  });

  it('without a session, pages redirect to sign-in and POSTs are 401', async () => {
    const anonymous = new ConsoleClient(world.app);
    const page = await anonymous.get(`/console/m/${CHIYODA}/rules`);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/console/sign-in');
    const post = await anonymous.post(`/console/m/${CHIYODA}/rules`, {}, { csrf: 'x' });
    expect(post.statusCode).toBe(401);
    const forged = new ConsoleClient(world.app);
    forged.cookie = 'a-token-nobody-was-given';
    expect((await forged.get(`/console/m/${CHIYODA}`)).statusCode).toBe(303);
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const client = await signedInAs(world, CHIYODA, 'viewer');
    const token = client.cookie;
    expect((await client.post('/console/sign-out', {})).statusCode).toBe(303);
    const replay = new ConsoleClient(world.app);
    replay.cookie = token;
    expect((await replay.get(`/console/m/${CHIYODA}`)).statusCode).toBe(303);
  });

  it('a session expires after 8 hours', async () => {
    const client = await signedInAs(world, CHIYODA, 'viewer');
    world.clock.now = new Date(NOON_WEDNESDAY.getTime() + 8 * 3600_000);
    try {
      expect((await client.get(`/console/m/${CHIYODA}`)).statusCode).toBe(303);
    } finally {
      world.clock.now = NOON_WEDNESDAY;
    }
  });
});

describe('CSRF', () => {
  it('a POST without the session’s token, with another session’s token, or from another origin is refused', async () => {
    const editor = await signedInAs(world, CHIYODA, 'editor');
    const other = await signedInAs(world, CHIYODA, 'viewer');
    const url = `/console/m/${CHIYODA}/inkan/abolish`;
    const form = { holderId: 'H0001' };
    expect((await editor.post(url, form, { csrf: null })).statusCode).toBe(403);
    expect((await editor.post(url, form, { csrf: other.csrf ?? '' })).statusCode).toBe(403);
    expect((await editor.post(url, form, { origin: 'http://evil.example' })).statusCode).toBe(403);
    expect((await editor.post(url, form, { origin: 'null' })).statusCode).toBe(403);
    expect((await editor.post(url, form, { fetchSite: 'cross-site' })).statusCode).toBe(403);
    expect((await world.centre.registers.inkanOf('H0001'))?.status).toBe('registered');
    // The positive control: the same request with the session's token and no foreign origin.
    const done = await editor.post(url, form);
    expect(done.statusCode).toBe(303);
    expect((await world.centre.registers.inkanOf('H0001'))?.status).toBe('abolished');
  });
});

describe('lock-out', () => {
  it(`locks after ${LOCKOUT_THRESHOLD} failures, refuses even the right password, and unlocks after ${LOCKOUT_MS / 60_000} minutes or by the administrator`, async () => {
    const auditor = world.userFor(CHIYODA, 'auditor');
    const client = new ConsoleClient(world.app);
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++)
      expect(
        (await client.post('/console/sign-in', { login: auditor.login, password: `wrong-${i}-xxxxx` }))
          .statusCode,
      ).toBe(401);
    expect(
      (await client.post('/console/sign-in', { login: auditor.login, password: 'wrong-last-xxxx' }))
        .statusCode,
    ).toBe(423);
    const locked = await client.post('/console/sign-in', {
      login: auditor.login,
      password: auditor.password,
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.body).toContain('ロック');

    world.clock.now = new Date(NOON_WEDNESDAY.getTime() + LOCKOUT_MS + 1);
    try {
      expect((await client.signIn(auditor.login, auditor.password)).statusCode).toBe(303);
    } finally {
      world.clock.now = NOON_WEDNESDAY;
    }

    // Locked again, then the municipality's administrator unlocks the account.
    for (let i = 0; i < LOCKOUT_THRESHOLD; i++)
      await client.post('/console/sign-in', { login: auditor.login, password: `again-${i}-xxxxx` });
    expect(
      (await client.post('/console/sign-in', { login: auditor.login, password: auditor.password }))
        .statusCode,
    ).toBe(423);
    const admin = await signedInAs(world, CHIYODA, 'admin');
    const users = await admin.get(`/console/m/${CHIYODA}/users`);
    expect(users.body).toContain('ロック中');
    const stored = await world.centre.consoleStore.userByLogin(auditor.login);
    expect(
      (
        await admin.post(`/console/m/${CHIYODA}/users/update`, {
          userId: stored?.userId ?? '',
          action: 'unlock',
        })
      ).statusCode,
    ).toBe(303);
    expect((await client.signIn(auditor.login, auditor.password)).statusCode).toBe(303);
  });
});

describe('sign-ins in the audit trail', () => {
  it('sign-ins, failures and the lock-out are audited in the municipality; the auditor reads them, no password in them', async () => {
    const viewer = world.userFor(CHIYODA, 'viewer');
    const client = new ConsoleClient(world.app);
    const mine = async () =>
      (await world.centre.consoleStore.listAudit(CHIYODA)).filter((r) => r.target === `user:${viewer.login}`);
    const earlier = (await mine()).length;
    const guesses = Array.from({ length: LOCKOUT_THRESHOLD }, (_, i) => `guess-${i}-of-a-password`);
    for (const password of guesses) await client.post('/console/sign-in', { login: viewer.login, password });
    await client.post('/console/sign-in', { login: viewer.login, password: viewer.password });
    await client.post('/console/sign-in', { login: 'nobody@nowhere', password: 'guess-unknown-login' });
    const rows = (await mine()).slice(earlier);
    expect(rows.map((r) => r.action)).toEqual([
      ...Array<string>(LOCKOUT_THRESHOLD - 1).fill('sign-in.failed'),
      'sign-in.locked-out',
      'sign-in.refused',
    ]);
    expect(rows.every((r) => r.actor === `console:${viewer.login}`)).toBe(true);

    const auditor = await signedInAs(world, CHIYODA, 'auditor');
    const page = await auditor.get(`/console/m/${CHIYODA}/audit`);
    expect(page.body).toContain('sign-in.locked-out');
    expect(page.body).toMatch(/<td>sign-in<\/td>/);
    for (const secret of [...guesses, viewer.password, 'guess-unknown-login', 'nobody@nowhere'])
      expect(page.body).not.toContain(secret);
  });
});
