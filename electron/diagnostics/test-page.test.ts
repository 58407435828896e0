import { describe, expect, it } from 'vitest';
import { DEFAULT_COPY_DETERRENT, dotCoverage } from '../../certificate-templates/anti-forgery.ts';
import { pdfText, renderGrey } from '../../certificate-templates/test-support/poppler.ts';
import { renderTestPage, TEST_PAGE_HEADING } from './test-page.ts';

describe('the operator’s printer test page', () => {
  it('says it is no certificate, names the terminal, carries the 地紋 and nothing of a resident or a seal', async () => {
    const result = await renderTestPage({
      terminalId: 'S0001-T01',
      printedAt: new Date('2026-12-02T01:02:03Z'),
    });
    if (!result.ok) throw new Error(`test page: ${result.problem}`);
    // Every word on the page is one of these: nothing else can have slipped onto it.
    const text = pdfText(result.pdf).replace(/\s+/g, '');
    expect(text).toBe(
      [
        TEST_PAGE_HEADING,
        '端末 / Terminal: S0001-T01',
        '印刷日時 / Printed: 2026-12-02T01:02:03.000Z',
        '地紋（複写けん制）を確認してください。コピーすると「複写」の文字が浮かび上がります。',
        'Check the copy-deterrent background: on a photocopy the word 複写 appears.',
      ]
        .join('')
        .replace(/\s+/g, ''),
    );

    // The copy-deterrent background, as on a certificate: a patch below the text is dotted at
    // the fine dots' coverage (the word 複写 hidden in coarse dots of the same coverage).
    const options = DEFAULT_COPY_DETERRENT;
    const img = renderGrey(result.pdf, 1, options.deviceDpi, { x: 1200, y: 4000, w: 800, h: 800 });
    let inked = 0;
    for (const value of img.data) if (value < 128) inked += 1;
    const coverage = dotCoverage(options.fineDotPx, options.finePitchPx);
    expect(inked / (img.width * img.height)).toBeGreaterThan(coverage * 0.8);
    expect(inked / (img.width * img.height)).toBeLessThan(coverage * 1.2);
  });
});
