/**
 * One stack for the whole integration project: pcscd with the vpcd virtual reader, DNS-SD for
 * ippeveprinter, and a test world (test JPKI CA, cards, centre data) in a temporary folder.
 * Test files get the world's folder with `inject('worldDir')`. A missing system part fails the
 * run here, loudly, naming its Debian package.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureDevWorld } from '../../scripts/dev/world.ts';
import { describeServiceError, ensureDnsSd, startPcscd } from '../../scripts/system/services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    worldDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pcscd = await startPcscd();
  if (!pcscd.ok) throw new Error(`integration tests need pcscd + vpcd: ${describeServiceError(pcscd.error)}`);
  const dnsSd = await ensureDnsSd();
  if (!dnsSd.ok)
    throw new Error(`integration tests need DNS-SD for ippeveprinter: ${describeServiceError(dnsSd.error)}`);
  const worldDir = await mkdtemp(join(tmpdir(), 'kiosk-test-world-'));
  await ensureDevWorld(worldDir);
  project.provide('worldDir', worldDir);
  return async () => {
    await pcscd.value.stop();
    await rm(worldDir, { recursive: true, force: true });
  };
}
