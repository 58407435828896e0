import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskHealth } from '../../protocol/heartbeat.ts';
import type { TerminalHealthRecord } from '../fleet/index.ts';
import { CENTRE_SCOPE, CONSOLE_ROLES } from './roles.ts';
import {
  CHIYODA,
  ConsoleClient,
  KAGA,
  signedInAs,
  startConsoleWorld,
  type ConsoleWorld,
} from './test-support.ts';

/**
 * The centre operator's fleet page: kiosks by store with status and alerts; a centre-wide role
 * that reaches no municipality's route, and a page no municipal role reaches.
 */
let world: ConsoleWorld;
const FLEET = '/console/centre/fleet';
const MINUTE = 60_000;

const HEALTHY: KioskHealth = {
  at: '2026-11-25T02:59:00.000Z',
  overall: 'healthy',
  problems: [],
  outOfServiceSince: null,
  readers: [{ name: 'Virtual PCD 00 00', state: 'ready', cardPresent: false, lastError: null }],
  printer: {
    state: 'idle',
    reasons: [],
    supplies: [{ name: 'A4', kind: 'paper', levelPercent: 80 }],
    queuedJobs: 0,
  },
  payment: { state: 'online', faults: [], changeLevels: { '10': 40 }, coinBoxFull: false },
  centre: { reachable: true, latencyMs: 12, clockSkewMs: 0, terminalCertificateNotAfter: null },
  disk: null,
  versions: { kiosk: '0.1.0', protocol: '0.5.0', node: '20.19.0', electron: null },
};
const OUT_OF_PAPER: KioskHealth = {
  ...HEALTHY,
  overall: 'out-of-service',
  problems: [{ code: 'printer-out-of-paper', blocking: true }],
  printer: {
    state: 'stopped',
    reasons: ['media-empty-error'],
    supplies: [{ name: 'A4', kind: 'paper', levelPercent: 0 }],
    queuedJobs: 0,
  },
};

function record(
  terminalId: string,
  storeCode: string,
  ageMs: number,
  health: KioskHealth,
): TerminalHealthRecord {
  const at = world.clock.now.getTime() - ageMs;
  return {
    terminalId,
    storeCode,
    sentAt: at,
    receivedAt: at,
    certificateNotAfter: world.clock.now.getTime() + 365 * 24 * 60 * MINUTE,
    health,
    signature: 'c2lnbmF0dXJl',
  };
}

beforeAll(async () => {
  world = await startConsoleWorld();
  const fleet = world.centre.fleet.store;
  await fleet.record(record('T-FRESH', 'S-0001', MINUTE, HEALTHY));
  await fleet.record(record('T-PAPER', 'S-0001', MINUTE, OUT_OF_PAPER));
  await fleet.record(record('T-SILENT', 'S-0002', 20 * MINUTE, HEALTHY));
});
afterAll(() => world.close());

/** The alert lines of the page (the list labelled 警報). */
const alertLines = (body: string) =>
  [
    ...(/<ul[^>]*aria-label="警報"[^>]*>([\s\S]*?)<\/ul>/.exec(body)?.[1] ?? '').matchAll(
      /<li>([\s\S]*?)<\/li>/g,
    ),
  ].map((m) => (m[1] ?? '').replace(/\s+/g, ' ').trim());

describe('the fleet page', () => {
  it('shows kiosks by store with status, heartbeat age, printer, readers, payment and certificate expiry', async () => {
    const operator = await signedInAs(world, CENTRE_SCOPE, 'operator');
    const page = await operator.get(FLEET);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('aria-label="店舗 S-0001 の端末"');
    expect(page.body).toContain('aria-label="店舗 S-0002 の端末"');
    const s1 = /aria-label="店舗 S-0001 の端末"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    expect(s1).toContain('T-FRESH');
    expect(s1).toContain('T-PAPER');
    expect(s1).not.toContain('T-SILENT');
    expect(s1).toMatch(/data-status="out-of-service">\s*停止中/);
    expect(s1).toContain('用紙 A4: 0%');
    expect(s1).toContain('Virtual PCD 00 00: 使用可');
    expect(s1).toContain('1分前');
    expect(s1).toContain('残り365日');
    const s2 = /aria-label="店舗 S-0002 の端末"[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
    expect(s2).toContain('20分前');
    expect(s2).toContain('応答なし');
  });

  it('raises an alert for the out-of-paper kiosk and the silent one, none for the healthy one', async () => {
    const operator = await signedInAs(world, CENTRE_SCOPE, 'operator');
    const lines = alertLines((await operator.get(FLEET)).body);
    expect(lines).toHaveLength(2);
    expect(lines.find((l) => l.includes('T-PAPER'))).toContain('用紙切れ');
    expect(lines.find((l) => l.includes('T-SILENT'))).toContain('センターと通信なし');
    expect(lines.some((l) => l.includes('T-FRESH'))).toBe(false);
  });

  it('the operator lands on the fleet after sign-in', async () => {
    const user = world.userFor(CENTRE_SCOPE, 'operator');
    const client = new ConsoleClient(world.app);
    const answer = await client.post('/console/sign-in', { login: user.login, password: user.password });
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe(FLEET);
    expect((await client.get('/console/')).headers.location).toBe(FLEET);
  });
});

describe('the operator and the municipalities stay apart', () => {
  it('no municipal role of either municipality reaches the fleet (404, no kiosk shown)', async () => {
    for (const code of [CHIYODA, KAGA])
      for (const role of CONSOLE_ROLES) {
        const client = await signedInAs(world, code, role);
        const answer = await client.get(FLEET);
        expect(answer.statusCode, `${role}@${code}`).toBe(404);
        expect(answer.body).not.toContain('T-PAPER');
      }
  });

  it("the operator reaches no municipality's route, GET or POST, and changes nothing", async () => {
    const operator = await signedInAs(world, CENTRE_SCOPE, 'operator');
    const state = async () => ({
      audit: [
        ...(await world.centre.consoleStore.listAudit(CHIYODA)),
        ...(await world.centre.consoleStore.listAudit(KAGA)),
      ],
      rules: await world.centre.repository.getMunicipality(CHIYODA),
      inkan: (await world.centre.registers.inkanOf('H0008'))?.status,
    });
    const before = await state();
    const routes = world.app.consoleRoutes.filter((r) => r.url.includes(':code'));
    expect(routes.length).toBeGreaterThan(10);
    for (const code of [CHIYODA, KAGA, CENTRE_SCOPE])
      for (const route of routes) {
        const url = route.url.replace(':code', code);
        const answer =
          route.method === 'GET'
            ? await operator.get(url)
            : await operator.post(url, { holderId: 'H0008', action: 'block', fee: '1', role: 'admin' });
        expect(answer.statusCode, `operator ${route.method} ${url}`).toBeGreaterThanOrEqual(403);
        expect(answer.statusCode).toBeLessThan(405);
        const resident = await world.centre.repository.getResident('H0008');
        if (resident) expect(answer.body).not.toContain(resident.name);
      }
    expect(await state()).toEqual(before);
  });

  it("a municipality's administrator cannot create an operator or make one of their users one", async () => {
    const admin = await signedInAs(world, CHIYODA, 'admin');
    await admin.get(`/console/m/${CHIYODA}/users`);
    const created = await admin.post(`/console/m/${CHIYODA}/users`, {
      login: 'fake-operator@x',
      role: 'operator',
      password: 'a-long-enough-password',
    });
    expect(created.statusCode).toBe(422);
    expect(await world.centre.consoleStore.userByLogin('fake-operator@x')).toBeUndefined();
    const viewer = await world.centre.consoleStore.userByLogin(world.userFor(CHIYODA, 'viewer').login);
    const changed = await admin.post(`/console/m/${CHIYODA}/users/update`, {
      userId: viewer?.userId ?? '',
      action: 'role',
      role: 'operator',
    });
    expect(changed.statusCode).toBe(400);
    expect((await world.centre.consoleStore.userById(viewer?.userId ?? ''))?.role).toBe('viewer');
    // Nor is the operator one of the municipality's users to change.
    const operator = await world.centre.consoleStore.userByLogin(
      world.userFor(CENTRE_SCOPE, 'operator').login,
    );
    const disabled = await admin.post(`/console/m/${CHIYODA}/users/update`, {
      userId: operator?.userId ?? '',
      action: 'disable',
    });
    expect(disabled.statusCode).toBe(404);
    expect((await world.centre.consoleStore.userById(operator?.userId ?? ''))?.disabled).toBe(false);
  });
});
