/**
 * The municipal console in Debian's chromium (Playwright, accessible names): an editor of 千代田区
 * signs in, changes the 住民票 fee, sees it in the live preview of the kiosk menu before saving,
 * saves; the auditor then finds the change with its before and after. A centre of its own (SQLite in
 * a temporary folder), so the shared test world's fees never change. And `npm run centre` as a
 * newcomer starts it: the line naming the console, one development user per municipality and role
 * (and the centre's operator), and a printed user signs in and lands on their page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCentre } from '../../server/centre.ts';
import { seedDevelopmentUsers, type DevelopmentUser } from '../../server/console/dev-users.ts';
import { CONSOLE_ROLES } from '../../server/console/roles.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { testSealKeyStore } from '../../server/test-support/seal-keys.ts';
import { launchChromium } from '../support/kiosk-web.ts';
import { PROJECT_ROOT } from '../support/run-command.ts';

const CHIYODA = '131016';

describe('municipal console', () => {
  let dir: string;
  let centre: Awaited<ReturnType<typeof startCentre>>;
  let users: DevelopmentUser[];
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-e2e-'));
    centre = await startCentre({
      databasePath: join(dir, 'centre.sqlite'),
      trustedCaCertificates: [],
      certificateRegistry: [],
      sealKeys: { store: await testSealKeyStore() },
      logger: false,
      console: {},
    });
    users = await seedDevelopmentUsers(centre.centre.consoleStore, [CHIYODA], 'development', Date.now());
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await centre?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function signIn(role: DevelopmentUser['role']): Promise<Page> {
    const user = users.find((u) => u.role === role);
    if (!user || !centre.consoleUrl) throw new Error('console not started');
    const page = await (await browser.newContext()).newPage();
    await page.goto(centre.consoleUrl);
    await page.getByLabel('利用者名').fill(user.login);
    await page.getByLabel('パスワード').fill(user.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('heading', { name: '概要' }).waitFor();
    return page;
  }

  it('an editor changes a fee, sees it in the preview, saves it, and the auditor reads the change', async () => {
    const before = (await centre.centre.repository.getMunicipality(CHIYODA))?.offerings.juminhyo?.feeYen;
    expect(before).toBeDefined();
    const editor = await signIn('editor');
    await editor.getByRole('link', { name: '交付の設定' }).click();
    await editor.getByRole('heading', { name: '交付の設定' }).waitFor();
    const preview = editor.getByRole('region', { name: 'キオスクのメニュー（プレビュー）' });
    await expect.poll(() => preview.innerText()).toContain(`${before}円`);

    await editor.getByLabel('住民票の写しの手数料（円）').fill('380');
    // The live preview follows the form before anything is saved.
    await expect.poll(() => preview.innerText(), { timeout: 10_000 }).toMatch(/住民票の写し\s*380円/);
    expect((await centre.centre.repository.getMunicipality(CHIYODA))?.offerings.juminhyo?.feeYen).toBe(
      before,
    );

    // The sample certificate, drawn by the templates for this draft.
    await editor.getByRole('button', { name: '見本の証明書を表示' }).click();
    await expect
      .poll(() => editor.locator('iframe[title="見本の証明書"]').getAttribute('src'), { timeout: 20_000 })
      .toMatch(/^blob:/);

    await editor.getByRole('button', { name: '保存する' }).click();
    await editor.getByRole('status').filter({ hasText: '保存しました' }).waitFor();
    expect((await centre.centre.repository.getMunicipality(CHIYODA))?.offerings.juminhyo?.feeYen).toBe(380);
    await expect.poll(() => preview.innerText()).toMatch(/住民票の写し\s*380円/);
    expect(await editor.getByRole('link', { name: '監査記録' }).count()).toBe(0);

    const auditor = await signIn('auditor');
    await auditor.getByRole('link', { name: '監査記録' }).click();
    const row = auditor.getByRole('row').filter({ hasText: 'rules.save' });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('console:editor@131016');
    expect(text).toContain(`"feeYen": ${before}`);
    expect(text).toContain('"feeYen": 380');
  });
});

describe('npm run centre', () => {
  let centre: ChildProcess | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    if (centre && centre.exitCode === null && centre.signalCode === null) {
      const exited = new Promise((resolve) => centre?.once('exit', resolve));
      centre.kill('SIGTERM');
      await exited;
    }
  });

  it('prints the console’s URL and one development user per municipality and role, who can sign in', async () => {
    centre = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(PROJECT_ROOT, 'scripts', 'centre.ts'),
        '--world',
        inject('worldDir'),
        '--port',
        '0',
        '--admin-port',
        '0',
        '--console-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const municipalities = loadSeedWorld().municipalities.map((m) => m.code);
    const expectedUsers = municipalities.length * CONSOLE_ROLES.length + 1;
    let consoleUrl: string | undefined;
    const users: { scope: string; role: string; login: string; password: string }[] = [];
    const lines = createInterface({ input: centre.stdout as NodeJS.ReadableStream });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('npm run centre printed no console users')), 90_000);
      centre?.once('exit', (code) => reject(new Error(`npm run centre exited (${code})`)));
      lines.on('line', (line) => {
        const url = /^Municipal console \(loopback only\): (\S+)$/.exec(line);
        if (url) consoleUrl = url[1];
        const user = /^ {2}(\S+) (\S+): (\S+) \/ (\S+)$/.exec(line);
        if (user) users.push({ scope: user[1]!, role: user[2]!, login: user[3]!, password: user[4]! });
        if (consoleUrl && users.length === expectedUsers) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/$/);
    expect(users.map((u) => `${u.scope} ${u.role}`).sort()).toEqual(
      [
        ...municipalities.flatMap((code) => CONSOLE_ROLES.map((role) => `${code} ${role}`)),
        'centre operator',
      ].sort(),
    );
    for (const u of users) expect(u.login).toBe(`${u.role}@${u.scope}`);
    expect(new Set(users.map((u) => u.password)).size).toBe(users.length);

    // A printed password works: the centre's operator signs in and lands on the fleet view.
    const operator = users.find((u) => u.role === 'operator');
    browser = await launchChromium();
    const page = await (await browser.newContext()).newPage();
    await page.goto(consoleUrl!);
    await page.getByLabel('利用者名').fill(operator!.login);
    await page.getByLabel('パスワード').fill(operator!.password);
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByRole('heading', { name: '端末の稼働状況' }).waitFor();
  });
});
