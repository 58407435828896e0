import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, as the tests start it (tests/support/kiosk-web.ts). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/**
 * One headless Chromium and one page that print HTML files to PDF (page.pdf, A4 from the page's
 * CSS, backgrounds on). The HTML is loaded from a file so its @font-face can name the Debian font
 * files by file:// URL.
 */
export interface ChromiumPrinter {
  /** Loads `html` (fonts ready) and prints it; the bytes of the PDF. */
  print(html: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function startChromiumPrinter(): Promise<ChromiumPrinter> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ChromiumMissingError(`${CHROMIUM_PATH} not found (Debian package chromium)`);
  }
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  let page: Page;
  try {
    page = await browser.newPage();
  } catch (error) {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let count = 0;
  return {
    async print(html) {
      const file = join(dir, `document-${count++}.html`);
      await writeFile(file, html);
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      return new Uint8Array(pdf);
    },
    async close() {
      await browser.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
