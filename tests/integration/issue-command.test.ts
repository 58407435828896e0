/**
 * `npm run issue` end to end through the real parts: the holder's virtual card behind pcscd
 * (vpcd), the reference centre, ippeveprinter. The printed file must name the right resident;
 * wrong PINs report the tries left, three lock the card, and the lock survives a restart of the
 * card (a new process).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pdfText, runNpmScript } from '../support/run-command.ts';

/**
 * The card this file locks. The test world is shared by every integration file, and a locked card
 * stays locked: no other test may use this holder (池田 トメ, 加賀市, a generated resident).
 */
const LOCK_TEST_HOLDER = 'H0501';
const LOCK_TEST_PIN = '3535';

describe('npm run issue', () => {
  const worldDir = inject('worldDir');
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'kiosk-issue-test-'));
  });
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  const issue = (holder: string, pin: string, dir: string) =>
    runNpmScript('issue', [
      '--demo-opening-hours',
      '--holder',
      holder,
      '--pin',
      pin,
      '--certificate',
      'juminhyo',
      '--out',
      dir,
      '--world',
      worldDir,
      '--card',
      'pcsc',
      '--printer',
      'ipp',
    ]);

  it('prints the 住民票 of the card on the reader, through pcscd and ippeveprinter', async () => {
    const result = await issue('H0001', '1234', outDir);
    expect(result.stderr).toContain('pcscd with the vpcd virtual reader');
    expect(result.stderr).toContain('ippeveprinter');
    expect(result.code).toBe(0);
    const files = await readdir(outDir);
    expect(files).toHaveLength(1);
    expect(result.stdout.trim()).toBe(join(outDir, files[0] as string));
    const text = await pdfText(join(outDir, files[0] as string));
    expect(text).toContain('住 民 票 の 写 し');
    expect(text).toContain('山田 太郎');
    expect(text).toContain('東京都千代田区');
    // Nobody from another household is on it.
    expect(text).not.toContain('髙橋');
  });

  it('reports the tries left for a wrong PIN, locks after three, and the lock survives a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-issue-lock-'));
    try {
      const first = await issue(LOCK_TEST_HOLDER, '0000', dir);
      expect(first.code).toBe(3);
      expect(first.stderr).toContain('wrong PIN: 2 tries left');
      const second = await issue(LOCK_TEST_HOLDER, '0000', dir);
      expect(second.stderr).toContain('wrong PIN: 1 try left');
      const third = await issue(LOCK_TEST_HOLDER, '0000', dir);
      expect(third.code).not.toBe(0);
      expect(third.stderr).toMatch(/locked/i);
      // A new card process with the right PIN: still locked.
      const afterRestart = await issue(LOCK_TEST_HOLDER, LOCK_TEST_PIN, dir);
      expect(afterRestart.code).not.toBe(0);
      expect(afterRestart.stderr).toContain('[pin-locked]');
      expect(await readdir(dir)).toHaveLength(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints only the resident when asked for 本人のみ (--scope self)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-issue-self-'));
    try {
      const result = await runNpmScript('issue', [
        '--demo-opening-hours',
        ...['--holder', 'H0001', '--pin', '1234', '--certificate', 'juminhyo', '--scope', 'self'],
        ...['--out', dir, '--world', worldDir, '--card', 'pcsc', '--printer', 'ipp'],
      ]);
      expect(result.code).toBe(0);
      const text = await pdfText(result.stdout.trim());
      expect(text).toContain('山田 太郎');
      expect(text).not.toContain('山田 花子');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with a clear message and no transaction', async () => {
    const result = await runNpmScript('issue', [
      '--demo-opening-hours',
      '--holder',
      'H0001',
      '--pin',
      '12a4',
      '--out',
      outDir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('4 digits');
  });
});
