import { describe, expect, it } from 'vitest';
import { resolveFontPaths } from '../../../certificate-templates/fonts.ts';
import { formText } from '../../../certificate-templates/form-texts.ts';
import { sampleHousehold } from '../../../certificate-templates/sample-documents.ts';
import { formatWareki } from '../../../certificate-templates/wareki.ts';
import { htmlFile, juminhyoHtml } from './juminhyo-html.ts';

const seal = new Uint8Array(64).fill(7);

describe('the 住民票 in HTML for the Chromium comparison', () => {
  it('holds the fields the pdfkit form prints', () => {
    const document = sampleHousehold(4);
    const page = juminhyoHtml(document, seal);
    expect(page.body).toContain(document.content.address);
    expect(page.body).toContain(formText(document, 'subtitle.household'));
    expect(page.body).toContain(formText(document, 'juminhyo.household'));
    expect(page.body).toContain(document.documentId);
    for (const m of document.content.members) {
      expect(page.body).toContain(m.name);
      expect(page.body).toContain(m.nameKana);
      expect(page.body).toContain(formatWareki(m.birthDate));
    }
    expect(page.body).toContain('以下余白');
    expect(page.body).toContain('<svg'); // the QR and the 地紋's word rows
  });

  it('leaves out 世帯主 and 続柄 together, as the form does', () => {
    const document = sampleHousehold(2);
    delete document.content.householdHead;
    expect(juminhyoHtml(document, seal).body).not.toContain('続柄');
  });

  it('loads the same Debian font files the renderer embeds', () => {
    const page = juminhyoHtml(sampleHousehold(1), seal);
    const paths = resolveFontPaths();
    expect(page.fontFaces).toContain(`file://${paths.body}`);
    expect(page.fontFaces).toContain(`file://${paths.name}`);
    expect(htmlFile(page)).toMatch(/^<!doctype html>[\s\S]*<\/html>$/u);
  });

  it('escapes what the document says', () => {
    const document = sampleHousehold(1);
    document.content.address = '<script>x</script>';
    expect(juminhyoHtml(document, seal).body).not.toContain('<script>');
  });
});
