/**
 * The packaged kiosk without Electron's binary (it cannot be downloaded on these build machines):
 * electron-builder.yml is read and validated by electron-builder's own loader and schema, its
 * targets, deb dependencies and fuses are the ones deploy/README.md promises, the files it packs
 * exist; the kiosk session's systemd unit passes `systemd-analyze verify` with no complaint, and
 * the deb's maintainer scripts parse.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const UNIT = join(ROOT, 'deploy', 'konbini-kiosk.service');
const run = promisify(execFile);

/** `systemd-analyze verify` on a unit: its exit code and every line it complained with. */
async function verifyUnit(path: string): Promise<{ code: number; complaints: string }> {
  try {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', path]);
    return { code: 0, complaints: `${stdout}${stderr}`.trim() };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, complaints: `${failed.stdout ?? ''}${failed.stderr ?? ''}`.trim() };
  }
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder and packs deb and AppImage (NSIS configured) with the fuses locked', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.linux?.target).toEqual(['deb', 'AppImage']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['pcscd', 'cage', 'fonts-ipamj-mincho']));
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
    for (const script of [config.deb?.afterInstall, config.deb?.afterRemove])
      expect(existsSync(join(ROOT, script ?? 'missing')), script ?? 'missing').toBe(true);
    const extra = config.linux?.extraFiles as { from: string; filter: string[] }[];
    for (const name of extra[0]!.filter)
      expect(existsSync(join(ROOT, extra[0]!.from, name)), name).toBe(true);
  });

  it('is refused by the same validation when a key is wrong (the check can fail)', async () => {
    const config = await getConfig(ROOT, join(ROOT, 'electron-builder.yml'), null);
    const broken = { ...config, linux: { ...config.linux, targets: ['deb'] } };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/configuration/);
  });
});

describe('the kiosk session (systemd unit under cage)', () => {
  it('passes systemd-analyze verify without a complaint', async () => {
    expect(await verifyUnit(UNIT)).toEqual({ code: 0, complaints: '' });
    const unit = await readFile(UNIT, 'utf8');
    expect(unit).toMatch(
      /^ExecStart=\/usr\/bin\/cage -d -s -- \/opt\/konbini-kofu-kiosk\/konbini-kofu-kiosk /m,
    );
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^User=kiosk$/m);
  });

  it('a misspelt key or a missing program is a complaint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-unit-'));
    try {
      const misspelt = join(dir, 'misspelt.service');
      await copyFile(UNIT, misspelt);
      await writeFile(misspelt, (await readFile(misspelt, 'utf8')).replace('TTYPath=', 'TTYPaht='));
      expect((await verifyUnit(misspelt)).complaints).toContain("Unknown key 'TTYPaht'");
      const missing = join(dir, 'missing.service');
      await writeFile(
        missing,
        (await readFile(UNIT, 'utf8')).replace('/usr/bin/cage', '/usr/bin/no-such-cage'),
      );
      expect((await verifyUnit(missing)).code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('has maintainer scripts that parse', async () => {
    for (const script of ['after-install.sh', 'after-remove.sh'])
      await expect(run('sh', ['-n', join(ROOT, 'deploy', script)])).resolves.toBeDefined();
  });
});
