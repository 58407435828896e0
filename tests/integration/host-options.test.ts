/**
 * Contract 0.2.0 through the kiosk host with the reference centre (in-process virtual card, PDF
 * spool printer): the confirm screen's choices reach the printed certificate, and the 利用登録 is
 * filed from the menu. Driven by intents, as the renderer sends them (scripts/dev/drive.ts).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHostLogger } from '../../electron/host/logger.ts';
import { fileKosekiRegistration, runTransaction, waitForScreen } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack } from '../../scripts/dev/stack.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { pdfText } from '../support/run-command.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-host-options-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const pinOf = (holderId: string) =>
  cardListRows().find((row) => row.holderId === holderId)?.authPin as string;

async function withStack(holderId: string, body: (stack: RunningStack) => Promise<void>): Promise<void> {
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: inject('worldDir'),
    outputDir: await mkdtemp(join(scratch, 'out-')),
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'spool',
    holderId,
  });
  try {
    await body(stack);
  } finally {
    await stack.close();
  }
}

async function printedText(stack: RunningStack): Promise<string> {
  const pdfs = (await readdir(stack.outputDir)).filter((name) => name.endsWith('.pdf'));
  expect(pdfs).toHaveLength(1);
  return pdfText(join(stack.outputDir, pdfs[0] as string));
}

describe('kiosk host: the resident’s choices reach the paper', () => {
  it('prints the chosen household members only, without 続柄', async () => {
    await withStack('H0001', async (stack) => {
      const outcome = await runTransaction(
        stack.host,
        {
          pin: pinOf('H0001'),
          certificateType: 'juminhyo',
          copies: 1,
          options: { scope: 'members', members: [2, 5], includeRelationship: false },
        },
        stack.insertMoney,
      );
      expect(outcome).toMatchObject({ kind: 'printed' });
      const text = await printedText(stack);
      expect(text).toContain('山田 花子');
      expect(text).toContain('山田 キヨ');
      for (const other of ['山田 一郎', '山田 美咲']) expect(text).not.toContain(other);
      expect(text).not.toContain('妻');
    });
  });

  it('offers the fiscal years on the register and prints the chosen one', async () => {
    await withStack('H0001', async (stack) => {
      stack.host.send({ type: 'start' });
      await waitForScreen(stack.host, ['pin-entry']);
      for (const digit of pinOf('H0001')) stack.host.send({ type: 'pin-digit', digit: Number(digit) });
      stack.host.send({ type: 'pin-submit' });
      await waitForScreen(stack.host, ['menu']);
      stack.host.send({ type: 'choose-certificate', certificateType: 'shotoku-kazei' });
      const confirm = await waitForScreen(stack.host, ['confirm']);
      const years = confirm.view.screen === 'confirm' ? (confirm.view.options?.taxYear?.allowed ?? []) : [];
      expect(years.length).toBeGreaterThan(1);
      // 戻る to the menu, then 中止: the neutral 「中止しました」 screen, then 終了.
      stack.host.send({ type: 'back-to-menu' });
      await waitForScreen(stack.host, ['menu']);
      stack.host.send({ type: 'cancel' });
      await waitForScreen(stack.host, ['error']);
      stack.host.send({ type: 'finish' });
      await waitForScreen(stack.host, ['welcome']);

      const older = years[1] as number;
      const outcome = await runTransaction(
        stack.host,
        {
          pin: pinOf('H0001'),
          certificateType: 'shotoku-kazei',
          copies: 1,
          options: { taxYear: older },
        },
        stack.insertMoney,
      );
      expect(outcome.kind).toBe('printed');
      const text = (await printedText(stack)).replace(/\s+/g, '');
      expect(text).toContain(`${older - 2018}年度`);
      expect(text).not.toContain(`${(years[0] as number) - 2018}年度`);
    });
  });
});

describe('kiosk host: 利用登録 with the 本籍地', () => {
  it('files it for a resident whose 本籍 is elsewhere, and says who decides', async () => {
    await withStack('H0052', async (stack) => {
      const outcome = await fileKosekiRegistration(stack.host, pinOf('H0052'));
      expect(outcome).toMatchObject({ kind: 'filed', status: 'pending', municipalityName: '千代田区' });
      // Filing again answers the request already on file.
      const again = await fileKosekiRegistration(stack.host, pinOf('H0052'));
      expect(again.kind === 'filed' && outcome.kind === 'filed' && again.requestId).toBe(
        outcome.kind === 'filed' ? outcome.requestId : 'none',
      );
    });
  });

  it('is not offered when the 本籍 is in the municipality of residence', async () => {
    await withStack('H0012', async (stack) => {
      expect(await fileKosekiRegistration(stack.host, pinOf('H0012'))).toEqual({ kind: 'not-needed' });
    });
  });
});
