import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionConsoleUser, weakPasswordReason, type ProvisionRequest } from './provision-user.ts';
import { CENTRE_SCOPE } from './roles.ts';
import { ConsoleClient, KAGA, startConsoleWorld, type ConsoleWorld } from './test-support.ts';

/** The first administrator of a production centre, from the command line (`npm run console-user`). */
let world: ConsoleWorld;
beforeAll(async () => {
  world = await startConsoleWorld();
});
afterAll(() => world.close());

const PASSWORD = 'correct horse battery staple';
const request = (over: Partial<ProvisionRequest>): ProvisionRequest => ({
  municipalityCode: KAGA,
  login: 'first-admin@kaga',
  role: 'admin',
  password: PASSWORD,
  confirmation: PASSWORD,
  actor: 'cli:root',
  now: world.clock.now.getTime(),
  ...over,
});
const provision = (over: Partial<ProvisionRequest>) =>
  provisionConsoleUser(world.centre.consoleStore, world.centre.repository, request(over));

/** Runs the CLI with the given stdin; its exit code and output. */
function runCli(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      'npx',
      ['tsx', 'scripts/console-user.ts', ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('provisioning a console user', () => {
  it('refuses weak, short, mismatched passwords, unknown municipalities and roles, and writes nothing', async () => {
    expect(weakPasswordReason('aaaaaaaaaaaaaaaa', 'x@y')).toBe('few-distinct-characters');
    expect(weakPasswordReason('123123123123', 'x@y')).toBe('few-distinct-characters');
    expect(weakPasswordReason('my-first-admin-pass', 'first-admin@kaga')).toBe('contains-login');
    expect(weakPasswordReason(PASSWORD, 'first-admin@kaga')).toBeUndefined();
    const weak = 'abcabcabcabcabc';
    expect(await provision({ password: weak, confirmation: weak })).toMatchObject({
      ok: false,
      failure: { kind: 'weak-password' },
    });
    expect(await provision({ password: 'short', confirmation: 'short' })).toMatchObject({
      failure: { kind: 'too-short' },
    });
    expect(await provision({ confirmation: `${PASSWORD}!` })).toMatchObject({
      failure: { kind: 'passwords-differ' },
    });
    expect(await provision({ municipalityCode: '999999' })).toMatchObject({
      failure: { kind: 'unknown-municipality' },
    });
    expect(await provision({ role: 'root' })).toMatchObject({ failure: { kind: 'unknown-role' } });
    expect(await world.centre.consoleStore.userByLogin('first-admin@kaga')).toBeUndefined();
  });

  it('creates the operator under the centre scope, whatever municipality is named', async () => {
    const made = await provision({ login: 'night-operator', role: 'operator', municipalityCode: KAGA });
    expect(made).toMatchObject({ ok: true, municipalityCode: CENTRE_SCOPE });
    expect((await world.centre.consoleStore.userByLogin('night-operator'))?.municipalityCode).toBe(
      CENTRE_SCOPE,
    );
  });
});

describe('npm run console-user', () => {
  it('reads the password twice from stdin, creates the admin (audited), who then signs in', async () => {
    const db = ['--database-path', join(world.dir, 'centre.sqlite')];
    const args = ['--municipality', KAGA, '--login', 'first-admin@kaga', '--role', 'admin', ...db];
    const differ = await runCli(args, `${PASSWORD}\n${PASSWORD}x\n`);
    expect(differ.code).toBe(2);
    expect(differ.stderr).toContain('differ');
    // A password on the command line is refused (unknown option), before anything is written.
    expect((await runCli([...args, '--password', PASSWORD], '')).code).not.toBe(0);
    expect(await world.centre.consoleStore.userByLogin('first-admin@kaga')).toBeUndefined();

    const made = await runCli(args, `${PASSWORD}\n${PASSWORD}\n`);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout + made.stderr).not.toContain(PASSWORD);
    const user = await world.centre.consoleStore.userByLogin('first-admin@kaga');
    expect(user).toMatchObject({ municipalityCode: KAGA, role: 'admin' });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await world.centre.consoleStore.listAudit(KAGA);
    expect(
      audit.find((r) => r.action === 'user.create' && r.target === 'user:first-admin@kaga'),
    ).toMatchObject({
      actor: expect.stringMatching(/^cli:/) as unknown,
      after: { login: 'first-admin@kaga', role: 'admin' },
    });
    const client = new ConsoleClient(world.app);
    const signIn = await client.post('/console/sign-in', { login: 'first-admin@kaga', password: PASSWORD });
    expect(signIn.headers.location).toBe(`/console/m/${KAGA}`);
    expect((await client.get(`/console/m/${KAGA}/users`)).statusCode).toBe(200);
  }, 90_000);
});
