/** Reading memory for the kiosk bench: this process's heap after a full collection, and a page's. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Page } from 'playwright-core';

export const mb = (bytes: number): number => bytes / 1024 / 1024;

/** This process's heap and rss (MB) after two full collections (V8's gc, reached without a flag). */
export function hostMemory(): { heapMb: number; rssMb: number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const usage = process.memoryUsage();
  return { heapMb: mb(usage.heapUsed), rssMb: mb(usage.rss) };
}

/**
 * The renderer's JS heap (MB) and DOM nodes after a collection, through the Chrome DevTools
 * Protocol (HeapProfiler.collectGarbage, then Performance.getMetrics).
 */
export async function pageMemory(page: Page): Promise<{ heapMb: number; domNodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
    return { heapMb: mb(metric('JSHeapUsedSize')), domNodes: metric('Nodes') };
  } finally {
    await cdp.detach();
  }
}
