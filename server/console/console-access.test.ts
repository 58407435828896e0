import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from '../admin/admin-app.ts';
import { decideCertificate } from '../municipal/menu.ts';
import { can, CENTRE_PERMISSIONS, CONSOLE_ROLES, PERMISSIONS, type Permission } from './roles.ts';
import {
  CHIYODA,
  KAGA,
  signedInAs,
  startConsoleWorld,
  formFields,
  type ConsoleClient,
  type ConsoleWorld,
} from './test-support.ts';

/**
 * Authorisation of every console route, isolation between municipalities (tested as an attacker
 * would: A's sessions on every one of B's routes, and B's ids forged into A's forms), the
 * append-only audit trail, and DV 支援措置 visible to DV officers only.
 */
let world: ConsoleWorld;
/** A pending 利用登録 filed with KAGA (B) as 本籍地, and one with CHIYODA (A). */
let kagaRequest: string;
let chiyodaRequest: string;

beforeAll(async () => {
  world = await startConsoleWorld();
  const at = world.clock.now.getTime();
  kagaRequest = (await world.centre.registers.fileUseRegistration('H0001', KAGA, at)).requestId;
  chiyodaRequest = (await world.centre.registers.fileUseRegistration('H0011', CHIYODA, at)).requestId;
});
afterAll(() => world.close());

const fill = (url: string, code: string) => url.replace(':code', code);
const FORGED_BODY = {
  requestId: '',
  holderId: 'H0008', // 加賀市's resident (with 印鑑登録)
  userId: '',
  decision: 'approved',
  action: 'block',
  login: 'intruder@172065',
  role: 'admin',
  password: 'a-long-enough-password',
  fee: '1',
};

describe('the route table', () => {
  it('every console route has an authorisation rule; municipal routes are under :code, centre-wide ones under /console/centre/', () => {
    const routes = world.app.consoleRoutes;
    expect(routes.length).toBeGreaterThan(15);
    const missing = routes.filter((r) => r.access === undefined).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    for (const r of routes) {
      if (r.access === undefined || r.access === 'public' || r.access === 'signed-in') continue;
      expect(PERMISSIONS).toContain(r.access);
      if (CENTRE_PERMISSIONS.includes(r.access))
        expect(r.url, `${r.method} ${r.url}`).toMatch(/^\/console\/centre\//);
      else expect(r.url, `${r.method} ${r.url}`).toMatch(/^\/console\/m\/:code(\/|$)/);
    }
    // What needs no sign-in is exactly this list.
    expect(
      routes
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    ).toEqual([
      'GET /console/',
      'GET /console/assets/console.css',
      'GET /console/assets/console.js',
      'GET /console/sign-in',
      'POST /console/sign-in',
    ]);
  });
});

describe('roles', () => {
  it('each role reaches exactly the pages and actions its permissions allow', async () => {
    const routes = world.app.consoleRoutes.filter((r) => r.url.startsWith('/console/m/:code'));
    for (const role of CONSOLE_ROLES) {
      const client = await signedInAs(world, CHIYODA, role);
      for (const route of routes) {
        const allowed = can(role, route.access as Permission);
        const url = fill(route.url, CHIYODA);
        if (route.method === 'GET') {
          const answer = await client.get(url);
          expect(answer.statusCode, `${role} GET ${url}`).toBe(allowed ? 200 : 403);
        } else if (!allowed) {
          // A refused POST changes nothing: it is refused before its handler runs.
          const answer = await client.post(url, FORGED_BODY);
          expect(answer.statusCode, `${role} POST ${url}`).toBe(403);
        }
      }
    }
    expect((await world.centre.registers.inkanOf('H0008'))?.status).toBe('registered');
  });
});

describe('municipality A cannot see or change municipality B', () => {
  async function kagaState() {
    return {
      rules: await world.centre.repository.getMunicipality(KAGA),
      audit: await world.centre.consoleStore.listAudit(KAGA),
      users: await world.centre.consoleStore.listUsers(KAGA),
      inkan: (await world.centre.registers.inkanOf('H0008'))?.status,
      request: (await world.centre.registers.getUseRegistration(kagaRequest))?.status,
      dv: (await world.centre.repository.getResident('H0009'))?.dvBlock,
    };
  }

  it("every role of A, on every one of B's routes, with B's ids in the body, gets 404 and changes nothing", async () => {
    const before = await kagaState();
    const kagaUser = world.users.find((u) => u.municipalityCode === KAGA);
    const kagaUserId = (await world.centre.consoleStore.userByLogin(kagaUser?.login ?? ''))?.userId ?? '';
    const routes = world.app.consoleRoutes.filter((r) => r.url.includes(':code'));
    for (const role of CONSOLE_ROLES) {
      const client = await signedInAs(world, CHIYODA, role);
      for (const route of routes) {
        const url = fill(route.url, KAGA);
        const answer =
          route.method === 'GET'
            ? await client.get(url)
            : await client.post(url, {
                ...FORGED_BODY,
                requestId: kagaRequest,
                userId: kagaUserId,
                holderId: 'H0009',
              });
        expect(answer.statusCode, `${role} of ${CHIYODA}: ${route.method} ${url}`).toBe(404);
        expect(answer.body).not.toContain('加賀市');
      }
    }
    expect(await kagaState()).toEqual(before);
  });

  it("B's ids forged into A's own forms are unknown (404), and nothing of B changes", async () => {
    const before = await kagaState();
    const editor = await signedInAs(world, CHIYODA, 'editor');
    const a = `/console/m/${CHIYODA}`;
    expect(
      (await editor.post(`${a}/registrations/decision`, { requestId: kagaRequest, decision: 'approved' }))
        .statusCode,
    ).toBe(404);
    expect((await editor.post(`${a}/inkan/abolish`, { holderId: 'H0008' })).statusCode).toBe(404);
    const dv = await signedInAs(world, CHIYODA, 'dv-officer');
    expect((await dv.post(`${a}/dv`, { holderId: 'H0009', action: 'block' })).statusCode).toBe(404);
    const admin = await signedInAs(world, CHIYODA, 'admin');
    const kagaEditor = await world.centre.consoleStore.userByLogin(world.userFor(KAGA, 'editor').login);
    expect(
      (await admin.post(`${a}/users/update`, { userId: kagaEditor?.userId ?? '', action: 'disable' }))
        .statusCode,
    ).toBe(404);
    // A new user is always A's, whatever the form says.
    await admin.post(`${a}/users`, {
      login: 'clerk2@example',
      role: 'editor',
      password: 'long-enough-pass',
      municipalityCode: KAGA,
    });
    expect((await world.centre.consoleStore.userByLogin('clerk2@example'))?.municipalityCode).toBe(CHIYODA);
    expect(await kagaState()).toEqual(before);
    // Positive control: A's own request is decided through the same form.
    expect(
      (await editor.post(`${a}/registrations/decision`, { requestId: chiyodaRequest, decision: 'approved' }))
        .statusCode,
    ).toBe(303);
    expect((await world.centre.registers.getUseRegistration(chiyodaRequest))?.status).toBe('approved');
  });
});

describe('本籍地 利用登録 decisions', () => {
  it('an editor refuses a request: the register holds it, the trail has before and after, a second decision and a viewer are refused', async () => {
    const { requestId } = await world.centre.registers.fileUseRegistration(
      'H0012',
      CHIYODA,
      world.clock.now.getTime(),
    );
    const a = `/console/m/${CHIYODA}`;
    const viewer = await signedInAs(world, CHIYODA, 'viewer');
    expect((await viewer.get(`${a}/registrations`)).body).toContain(requestId);
    expect(
      (await viewer.post(`${a}/registrations/decision`, { requestId, decision: 'rejected' })).statusCode,
    ).toBe(403);
    expect((await world.centre.registers.getUseRegistration(requestId))?.status).toBe('pending');

    const editor = await signedInAs(world, CHIYODA, 'editor');
    expect(
      (await editor.post(`${a}/registrations/decision`, { requestId, decision: 'rejected' })).statusCode,
    ).toBe(303);
    expect((await world.centre.registers.getUseRegistration(requestId))?.status).toBe('rejected');
    // Decided once: neither a second refusal nor an approval changes it.
    expect(
      (await editor.post(`${a}/registrations/decision`, { requestId, decision: 'approved' })).statusCode,
    ).toBe(409);
    expect((await world.centre.registers.getUseRegistration(requestId))?.status).toBe('rejected');
    const rows = (await world.centre.consoleStore.listAudit(CHIYODA)).filter(
      (row) => row.target === `request:${requestId}`,
    );
    expect(rows).toMatchObject([
      {
        action: 'koseki-registration.decide',
        actor: 'console:editor@131016',
        before: { status: 'pending' },
        after: { status: 'rejected' },
      },
    ]);
  });
});

describe('audit trail', () => {
  it('a fee change is recorded with who, when, before and after; the auditor reads it, others cannot', async () => {
    const editor = await signedInAs(world, CHIYODA, 'editor');
    const form = await editor.get(`/console/m/${CHIYODA}/rules`);
    const fields = formFields(form.body);
    const oldFee = fields['fee-juminhyo'];
    const saved = await editor.post(`/console/m/${CHIYODA}/rules`, { ...fields, 'fee-juminhyo': '250' });
    expect(saved.statusCode).toBe(303);
    expect((await world.centre.repository.getMunicipality(CHIYODA))?.offerings.juminhyo?.feeYen).toBe(250);
    const row = (await world.centre.consoleStore.listAudit(CHIYODA)).find((r) => r.action === 'rules.save');
    expect(row).toMatchObject({
      actor: `console:${world.userFor(CHIYODA, 'editor').login}`,
      at: world.clock.now.getTime(),
      before: { offerings: { juminhyo: { feeYen: Number(oldFee) } } },
      after: { offerings: { juminhyo: { feeYen: 250 } } },
    });
    const auditor = await signedInAs(world, CHIYODA, 'auditor');
    const page = await auditor.get(`/console/m/${CHIYODA}/audit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('rules.save');
    expect(page.body).toContain('&quot;feeYen&quot;: 250');
    expect((await editor.get(`/console/m/${CHIYODA}/audit`)).statusCode).toBe(403);
  });

  it('an invalid draft is refused with the schema’s messages and not saved', async () => {
    const editor = await signedInAs(world, CHIYODA, 'editor');
    const fields = formFields((await editor.get(`/console/m/${CHIYODA}/rules`)).body);
    const before = await world.centre.repository.getMunicipality(CHIYODA);
    const refused = await editor.post(`/console/m/${CHIYODA}/rules`, {
      ...fields,
      serviceOpens: '23:00',
      'fee-inkan': '-5',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('serviceHours: closes');
    expect(refused.body).toContain('offerings.inkan.feeYen');
    expect(await world.centre.repository.getMunicipality(CHIYODA)).toEqual(before);
  });

  it('the admin API’s changes go to the same trail', async () => {
    const admin = buildAdminApp({
      repository: world.centre.repository,
      registers: world.centre.registers,
      keyring: world.centre.keyring,
      store: world.centre.consoleStore,
      tokens: { [CHIYODA]: 'token-for-test' },
      now: () => world.clock.now,
    });
    const answer = await admin.inject({
      method: 'POST',
      url: `/admin/v1/municipalities/${CHIYODA}/inkan/H0002/abolish`,
      headers: { authorization: 'Bearer token-for-test' },
      payload: {},
    });
    await admin.close();
    expect(answer.statusCode).toBe(200);
    expect((await world.centre.consoleStore.listAudit(CHIYODA)).at(-1)).toMatchObject({
      actor: `admin-token:${CHIYODA}`,
      action: 'inkan.abolish',
      target: 'inkan:H0002',
      before: { status: 'registered' },
      after: { status: 'abolished' },
    });
  });

  it('is append-only in the database itself', () => {
    const db = new Database(join(world.dir, 'centre.sqlite'));
    try {
      expect(() => db.prepare("UPDATE console_audit SET actor = 'someone else'").run()).toThrow(
        /append-only/,
      );
      expect(() => db.prepare('DELETE FROM console_audit').run()).toThrow(/append-only/);
      expect(
        (db.prepare('SELECT count(*) AS n FROM console_audit').get() as { n: number }).n,
      ).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

describe('users', () => {
  it('the municipality’s admin changes a role, which applies at the next request and is audited', async () => {
    const viewer = await signedInAs(world, KAGA, 'viewer');
    expect((await viewer.get(`/console/m/${KAGA}/inkan`)).statusCode).toBe(403);
    const admin = await signedInAs(world, KAGA, 'admin');
    const target = await world.centre.consoleStore.userByLogin(world.userFor(KAGA, 'viewer').login);
    const changed = await admin.post(`/console/m/${KAGA}/users/update`, {
      userId: target?.userId ?? '',
      action: 'role',
      role: 'editor',
    });
    expect(changed.statusCode).toBe(303);
    expect((await viewer.get(`/console/m/${KAGA}/inkan`)).statusCode).toBe(200);
    expect((await world.centre.consoleStore.listAudit(KAGA)).at(-1)).toMatchObject({
      actor: `console:admin@${KAGA}`,
      action: 'user.role',
      target: `user:viewer@${KAGA}`,
      before: { role: 'viewer' },
      after: { role: 'editor' },
    });
    expect(
      (
        await admin.post(`/console/m/${KAGA}/users/update`, {
          userId: target?.userId ?? '',
          action: 'role',
          role: 'root',
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('DV 支援措置', () => {
  it('only DV officers set and lift it; other roles never see the resident; the kiosk refuses at once', async () => {
    const dv = await signedInAs(world, CHIYODA, 'dv-officer');
    const at = world.clock.now.getTime();
    const chiyodaOwn = (await world.centre.registers.fileUseRegistration('H0006', CHIYODA, at)).requestId;
    expect(
      (await dv.post(`/console/m/${CHIYODA}/dv`, { holderId: 'H0006', action: 'block' })).statusCode,
    ).toBe(303);
    const resident = await world.centre.repository.getResident('H0006');
    const residence = await world.centre.repository.getMunicipality(CHIYODA);
    expect(resident?.dvBlock).toBe(true);
    if (!resident || !residence) throw new Error('seed resident and municipality expected');
    expect(
      decideCertificate('juminhyo', { resident, residence, taxYears: [], now: world.clock.now }),
    ).toEqual({
      available: false,
      reason: 'dv-block',
    });
    const list = await dv.get(`/console/m/${CHIYODA}/dv`);
    expect(list.body).toContain('H0006');

    const editor = await signedInAs(world, CHIYODA, 'editor');
    const registrations = await editor.get(`/console/m/${CHIYODA}/registrations`);
    expect(registrations.body).toContain(chiyodaOwn);
    expect(registrations.body).not.toContain('H0006');
    expect(registrations.body).toContain('支援措置のため非表示');
    const auditor = await signedInAs(world, CHIYODA, 'auditor');
    const audit = await auditor.get(`/console/m/${CHIYODA}/audit`);
    expect(audit.body).toContain('dv.block');
    expect(audit.body).not.toContain('H0006');
    for (const role of ['viewer', 'editor', 'auditor', 'admin'] as const) {
      const client: ConsoleClient = role === 'editor' ? editor : await signedInAs(world, CHIYODA, role);
      expect((await client.get(`/console/m/${CHIYODA}/dv`)).statusCode).toBe(403);
      expect(
        (await client.post(`/console/m/${CHIYODA}/dv`, { holderId: 'H0006', action: 'lift' })).statusCode,
      ).toBe(403);
    }
    expect((await world.centre.repository.getResident('H0006'))?.dvBlock).toBe(true);
  });

  it('a decision survives a restart that loads the register again', async () => {
    const dv = await signedInAs(world, CHIYODA, 'dv-officer');
    expect(
      (await dv.post(`/console/m/${CHIYODA}/dv`, { holderId: 'H0005', action: 'block' })).statusCode,
    ).toBe(303);
    const again = await startConsoleWorld(join(world.dir, 'centre.sqlite'));
    try {
      expect((await again.centre.repository.getResident('H0005'))?.dvBlock).toBe(true);
      expect(await again.centre.consoleStore.listDvBlockedHolders(CHIYODA)).toContain('H0005');
    } finally {
      await again.app.close();
      await again.centre.close();
    }
  });
});
