/**
 * The kiosk host's failure paths with real parts: the in-process virtual card (the PC/SC path is
 * covered by the e2e and issue tests), the reference centre, ippeveprinter. Every failure ends on
 * an error screen with its code, the money returned where any was taken, and the session back
 * at the welcome screen after 終了.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHostLogger } from '../../electron/host/logger.ts';
import type { KioskSnapshot } from '../../electron/kiosk-api.ts';
import { IppPrinter } from '../../electron/printer/index.ts';
import { runTransaction, waitForScreen, waitForSnapshot } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack, type StackOptions } from '../../scripts/dev/stack.ts';
import { cardListRows } from '../../server/seed/index.ts';
import { startTestPrinter, type TestPrinter } from '../support/services.ts';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-host-session-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function withStack(
  options: Partial<StackOptions>,
  body: (stack: RunningStack) => Promise<void>,
): Promise<void> {
  const stack = await startDevStack({
    demoOpeningHours: true,
    worldDir: inject('worldDir'),
    outputDir: await mkdtemp(join(scratch, 'out-')),
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'spool',
    ...options,
  });
  try {
    await body(stack);
  } finally {
    await stack.close();
  }
}

function errorOf(snapshot: KioskSnapshot) {
  return snapshot.view.screen === 'error' ? snapshot.view : undefined;
}

async function finish(stack: RunningStack): Promise<void> {
  expect(stack.host.send({ type: 'finish' })).toEqual({ accepted: true });
  const welcome = await waitForScreen(stack.host, ['welcome']);
  expect(welcome.transactionId).toBeNull();
}

describe('kiosk host: failure paths end on a screen, safely', () => {
  it('card removed while the resident types the PIN', async () => {
    await withStack({ holderId: 'H0001' }, async (stack) => {
      stack.host.send({ type: 'start' });
      await waitForScreen(stack.host, ['pin-entry']);
      stack.host.send({ type: 'pin-digit', digit: 1 });
      await stack.card?.remove();
      const snapshot = await waitForScreen(stack.host, ['error']);
      expect(errorOf(snapshot)?.error).toBe('card-removed');
      await finish(stack);
    });
  });

  it.each([
    ['H0006', 'certificate-expired'],
    ['H0011', 'certificate-revoked'],
    ['H0009', 'resident-moved-out'],
    ['H0010', 'resident-deceased'],
  ] as const)('holder %s is refused with %s', async (holderId, expected) => {
    const pin = cardListRows().find((row) => row.holderId === holderId)?.authPin as string;
    await withStack({ holderId }, async (stack) => {
      const outcome = await runTransaction(
        stack.host,
        {
          pin,
          certificateType: 'juminhyo',
          copies: 1,
        },
        stack.insertMoney,
      );
      expect(outcome.kind).toBe('error');
      if (outcome.kind === 'error') expect(errorOf(outcome.snapshot)?.error).toBe(expected);
      await finish(stack);
    });
  });

  it('centre unreachable after the PIN: a clear error, nothing charged', async () => {
    await withStack({ holderId: 'H0002', centreUrl: 'http://127.0.0.1:9' }, async (stack) => {
      const outcome = await runTransaction(
        stack.host,
        {
          pin: '2345',
          certificateType: 'juminhyo',
          copies: 1,
        },
        stack.insertMoney,
      );
      expect(outcome.kind).toBe('error');
      if (outcome.kind !== 'error') return;
      expect(errorOf(outcome.snapshot)).toMatchObject({ error: 'centre-unreachable' });
      expect(errorOf(outcome.snapshot)?.refundedYen).toBeUndefined();
      await finish(stack);
    });
  });

  it('cancel after paying returns the money', async () => {
    await withStack({ holderId: 'H0002' }, async (stack) => {
      stack.host.send({ type: 'start' });
      await waitForScreen(stack.host, ['pin-entry']);
      for (const digit of '2345') stack.host.send({ type: 'pin-digit', digit: Number(digit) });
      stack.host.send({ type: 'pin-submit' });
      await waitForScreen(stack.host, ['menu']);
      stack.host.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
      stack.host.send({ type: 'set-copies', copies: 3 });
      stack.host.send({ type: 'confirm' });
      await waitForScreen(stack.host, ['payment']);
      await waitForSnapshot(
        stack.host,
        (s) => s.view.screen === 'payment' && s.view.accepts.length > 0,
        'the slot to open',
      );
      expect(await stack.insertMoney(100)).toBe('accepted');
      await waitForSnapshot(
        stack.host,
        (s) => s.view.screen === 'payment' && s.view.paidYen === 100,
        '100円 credited',
      );
      stack.host.send({ type: 'cancel' });
      const snapshot = await waitForSnapshot(
        stack.host,
        (s) => s.view.screen === 'error' && s.view.refunding !== true,
        'the refund',
      );
      expect(errorOf(snapshot)).toMatchObject({ error: 'cancelled', refundedYen: 100 });
      expect((await stack.paymentSim?.control.status())?.tray.yen).toBe(100);
      await finish(stack);
    });
  });

  it('a printer that runs out of paper mid-job: refund; and the next resident is refused before paying', async () => {
    const script = join(scratch, 'out-of-paper.sh');
    await writeFile(script, '#!/bin/sh\necho "STATE: +media-empty-error" >&2\nexit 1\n');
    await chmod(script, 0o755);
    const printer: TestPrinter = await startTestPrinter({ command: script });
    try {
      await withStack({ holderId: 'H0002', printer: new IppPrinter({ url: printer.url }) }, async (stack) => {
        const outcome = await runTransaction(
          stack.host,
          {
            pin: '2345',
            certificateType: 'juminhyo',
            copies: 1,
          },
          stack.insertMoney,
        );
        expect(outcome.kind).toBe('error');
        if (outcome.kind !== 'error') return;
        expect(errorOf(outcome.snapshot)).toMatchObject({ error: 'printer-out-of-paper' });
        await waitForSnapshot(
          stack.host,
          (s) => s.view.screen === 'error' && s.view.refunding !== true,
          'the refund',
        );
        // The change was paid at once and the fee refunded after the failure: all 1000円 came back.
        expect((await stack.paymentSim?.control.status())?.tray.yen).toBe(1000);
        await finish(stack);

        // The printer now reports media-empty: the next session stops before the card is read.
        stack.host.send({ type: 'start' });
        const next = await waitForScreen(stack.host, ['error']);
        expect(errorOf(next)?.error).toBe('printer-out-of-paper');
        expect(errorOf(next)?.refundedYen).toBeUndefined();
        await finish(stack);
      });
    } finally {
      await printer.stop();
    }
  });

  it('intents in the wrong state are refused, and the page cannot skip the PIN', async () => {
    await withStack({ holderId: 'H0002' }, async (stack) => {
      expect(stack.host.send({ type: 'choose-certificate', certificateType: 'juminhyo' })).toEqual({
        accepted: false,
        reason: 'bad-state',
      });
      stack.host.send({ type: 'start' });
      await waitForScreen(stack.host, ['pin-entry']);
      for (const digit of '234') stack.host.send({ type: 'pin-digit', digit: Number(digit) });
      expect(stack.host.send({ type: 'pin-submit' })).toEqual({ accepted: false, reason: 'bad-state' });
      expect(stack.host.send({ type: 'insert-money', yen: 1000 })).toEqual({
        accepted: false,
        reason: 'invalid',
      });
      stack.host.send({ type: 'cancel' });
      const cancelled = await waitForScreen(stack.host, ['error']);
      expect(errorOf(cancelled)).toMatchObject({ error: 'cancelled' });
      await finish(stack);
    });
  });
});
