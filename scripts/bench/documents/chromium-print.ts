import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { HtmlPage } from './juminhyo-html.ts';

/** Debian's chromium, as the tests start it (tests/support/kiosk-web.ts). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

export class ChromiumMissingError extends Error {
  override readonly name = 'ChromiumMissingError';
}

/**
 * One headless Chromium and one page that print HTML to PDF (page.pdf, A4 from the page's CSS,
 * backgrounds on). The page is a shell loaded once from a file with the @font-face rules (so they
 * may name the Debian font files by file:// URL) and both fonts loaded, as a renderer kept running
 * would hold them; each print puts the form's style and body in and prints.
 */
export interface ChromiumPrinter {
  /** Puts `page` in (fonts ready) and prints it; the bytes of the PDF. */
  print(page: HtmlPage): Promise<Uint8Array>;
  close(): Promise<void>;
}

export async function startChromiumPrinter(fontFaces: string): Promise<ChromiumPrinter> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ChromiumMissingError(`${CHROMIUM_PATH} not found (Debian package chromium)`);
  }
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  const close = async () => {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  };
  let page: Page;
  try {
    page = await browser.newPage();
    const shell = join(dir, 'shell.html');
    await writeFile(
      shell,
      `<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>${fontFaces}</style><style id="form"></style></head><body></body></html>`,
    );
    await page.goto(pathToFileURL(shell).href, { waitUntil: 'load' });
    await page.evaluate(async () => {
      await document.fonts.load('12px KioskBody', '住');
      await document.fonts.load('12px KioskName', '住');
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    async print(html) {
      await page.evaluate(
        ([style, body]) => {
          const form = document.getElementById('form');
          if (form) form.textContent = style;
          document.body.innerHTML = body;
          return document.fonts.ready.then(() => undefined);
        },
        [html.style, html.body] as const,
      );
      return new Uint8Array(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    },
    close,
  };
}
