/**
 * The kiosk with its real page: the renderer served by the kiosk:web server (in this process, on
 * the given stack) and shown in Debian's Chromium (playwright-core), walked through whole
 * transactions by taps — 証明書の交付, the card placed when the page asks, the PIN keys, 住民票の写し,
 * 確認, the fee paid at once through the payment simulator, 終了. Reads the host's heap (this
 * process) and the renderer's JS heap and DOM nodes after the warm-up and after the last one.
 */
import type { Page } from 'playwright-core';
import { startKioskWebServer } from '../../../electron/web/kiosk-web-server.ts';
import { payAtSlot } from '../../dev/drive.ts';
import type { RunningStack } from '../../dev/stack.ts';
import { launchChromium } from '../../../tests/support/kiosk-web.ts';
import { hostMemory, pageMemory } from './memory.ts';

export interface BrowserRunResult {
  /** Each transaction through the page, 証明書の交付 → welcome again (ms). */
  transactionMs: number[];
  hostHeapAfterWarmUpMb: number;
  hostHeapAfterAllMb: number;
  rendererHeapAfterWarmUpMb: number;
  rendererHeapAfterAllMb: number;
  domNodesAfterWarmUp: number;
  domNodesAfterAll: number;
}

const STEP_TIMEOUT_MS = 60_000;

async function transaction(page: Page, stack: RunningStack): Promise<void> {
  const slot = stack.card!;
  const screen = (name: string) => page.getByTestId(`screen-${name}`).waitFor({ timeout: STEP_TIMEOUT_MS });
  await slot.remove();
  await page.getByTestId('start-button').click();
  await screen('place-card');
  await slot.insert();
  await screen('pin-entry');
  for (const digit of '1234') await page.getByTestId(`pin-key-${digit}`).click();
  await page.getByTestId('pin-submit').click();
  await screen('menu');
  await page.getByTestId('menu-item-juminhyo').click();
  await screen('confirm');
  await page.getByTestId('confirm-button').click();
  await screen('payment');
  await payAtSlot(stack.host, stack.insertMoney);
  await screen('done');
  await page.getByTestId('finish-button').click();
  await screen('welcome');
}

export async function runBrowserTransactions(
  stack: RunningStack,
  rendererDir: string,
  options: { transactions: number; warmUp: number },
): Promise<BrowserRunResult> {
  if (!stack.card) throw new Error('the kiosk bench needs a card on the stack');
  const web = await startKioskWebServer({ host: stack.host, rendererDir, port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(web.url);
    await page.getByTestId('screen-welcome').waitFor({ timeout: STEP_TIMEOUT_MS });
    const transactionMs: number[] = [];
    let warm = { host: Number.NaN, renderer: Number.NaN, nodes: Number.NaN };
    for (let i = 0; i < options.transactions; i++) {
      const started = performance.now();
      await transaction(page, stack);
      transactionMs.push(performance.now() - started);
      if (i + 1 === options.warmUp) {
        const renderer = await pageMemory(page);
        warm = { host: hostMemory().heapMb, renderer: renderer.heapMb, nodes: renderer.domNodes };
      }
    }
    const renderer = await pageMemory(page);
    return {
      transactionMs,
      hostHeapAfterWarmUpMb: warm.host,
      hostHeapAfterAllMb: hostMemory().heapMb,
      rendererHeapAfterWarmUpMb: warm.renderer,
      rendererHeapAfterAllMb: renderer.heapMb,
      domNodesAfterWarmUp: warm.nodes,
      domNodesAfterAll: renderer.domNodes,
    };
  } finally {
    await browser.close();
    await web.close();
  }
}
