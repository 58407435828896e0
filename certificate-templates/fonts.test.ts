import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, type Font } from 'fontkit';
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { sampleSet } from './sample-set.ts';
import {
  FONT_RECHECK_MS,
  FONT_SOURCES,
  advanceWidthPerPoint,
  firstMissingCodePoint,
  loadKioskFonts,
  resolveFontPaths,
} from './fonts.ts';

describe('certificate fonts', () => {
  it('finds the Debian IPA 明朝 fonts by default and draws MJ characters with IPAmj明朝', () => {
    const loaded = loadKioskFonts({ env: {} });
    if (!loaded.ok) throw new Error(`fonts missing: ${JSON.stringify(loaded.error)}`);
    expect(loaded.fonts.paths).toEqual({
      body: '/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf',
      name: '/usr/share/fonts/truetype/ipamj/ipamjm.ttf',
    });
    expect(loaded.fonts.body.postscriptName).toBe('IPAexMincho');
    expect(loaded.fonts.name.postscriptName).toBe('IPAmjMincho');
    for (const name of ['髙橋', '𠮷田', '葛\u{E0100}城', '渡邉', '齋藤']) {
      expect(firstMissingCodePoint(loaded.fonts.name, name)).toBeUndefined();
    }
    // Two registered (Hanyo-Denshi) variation sequences of 葛 are two different glyphs.
    const [a] = loaded.fonts.name.glyphsForString('葛\u{E0102}');
    const [b] = loaded.fonts.name.glyphsForString('葛\u{E0104}');
    expect(a?.id).not.toBe(b?.id);
    expect(firstMissingCodePoint(loaded.fonts.name, '山田\u{F0000}')).toBe('U+F0000');
  });

  it('walks a text by code points: supplementary characters, lone surrogates, selectors', () => {
    const loaded = loadKioskFonts({ env: {} });
    if (!loaded.ok) throw new Error(`fonts missing: ${JSON.stringify(loaded.error)}`);
    const { name } = loaded.fonts;
    expect(firstMissingCodePoint(name, '𠮷田')).toBeUndefined();
    expect(firstMissingCodePoint(name, '山\uD800田')).toBe('U+D800');
    expect(firstMissingCodePoint(name, '田\uDC00')).toBe('U+DC00');
    expect(firstMissingCodePoint(name, '\uFE00田')).toBeUndefined();
    expect(firstMissingCodePoint(name, '田\u{F0000}\u{E0100}')).toBe('U+F0000');
    const tsuchi = advanceWidthPerPoint(name, '𠮷') ?? 0;
    expect(advanceWidthPerPoint(name, '𠮷𠮷')).toBeCloseTo(2 * tsuchi, 9);
    expect(advanceWidthPerPoint(name, '𠮷\u{E0100}')).toBeUndefined();
  });

  it('takes the folder from KIOSK_FONT_DIR, and explicit paths over it', () => {
    expect(resolveFontPaths({ env: { KIOSK_FONT_DIR: '/opt/fonts' } })).toEqual({
      body: '/opt/fonts/ipaexm.ttf',
      name: '/opt/fonts/ipamjm.ttf',
    });
    expect(resolveFontPaths({ env: { KIOSK_FONT_DIR: '/opt/fonts' }, bodyFontPath: '/x/b.ttf' }).body).toBe(
      '/x/b.ttf',
    );
  });

  it('loads from a KIOSK_FONT_DIR that holds both files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    try {
      symlinkSync(join(FONT_SOURCES.body.debianDir, 'ipaexm.ttf'), join(dir, 'ipaexm.ttf'));
      symlinkSync(join(FONT_SOURCES.name.debianDir, 'ipamjm.ttf'), join(dir, 'ipamjm.ttf'));
      const loaded = loadKioskFonts({ env: { KIOSK_FONT_DIR: dir } });
      expect(loaded.ok && loaded.fonts.paths.name).toBe(join(dir, 'ipamjm.ttf'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the Debian package of a missing font, and never falls back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    try {
      symlinkSync(join(FONT_SOURCES.body.debianDir, 'ipaexm.ttf'), join(dir, 'ipaexm.ttf'));
      expect(loadKioskFonts({ fontDir: dir })).toEqual({
        ok: false,
        error: { kind: 'font-missing', path: join(dir, 'ipamjm.ttf'), debianPackage: 'fonts-ipamj-mincho' },
      });
      expect(loadKioskFonts({ bodyFontPath: join(dir, 'none.ttf') })).toEqual({
        ok: false,
        error: { kind: 'font-missing', path: join(dir, 'none.ttf'), debianPackage: 'fonts-ipaexfont-mincho' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sees a font file removed under it within FONT_RECHECK_MS, not at every load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const path = join(dir, 'ipaexm.ttf');
      symlinkSync(join(FONT_SOURCES.body.debianDir, 'ipaexm.ttf'), path);
      const first = loadKioskFonts({ bodyFontPath: path, env: {} });
      if (!first.ok) throw new Error(`fonts missing: ${JSON.stringify(first.error)}`);
      rmSync(path);
      vi.advanceTimersByTime(FONT_RECHECK_MS - 1);
      const soon = loadKioskFonts({ bodyFontPath: path, env: {} });
      expect(soon.ok && soon.fonts.body).toBe(first.fonts.body);
      vi.advanceTimersByTime(1);
      expect(loadKioskFonts({ bodyFontPath: path, env: {} })).toEqual({
        ok: false,
        error: { kind: 'font-missing', path, debianPackage: 'fonts-ipaexfont-mincho' },
      });
    } finally {
      vi.useRealTimers();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not a font', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    try {
      const path = join(dir, 'ipamjm.ttf');
      writeFileSync(path, 'not a font at all');
      const loaded = loadKioskFonts({ nameFontPath: path });
      expect(loaded).toMatchObject({
        ok: false,
        error: { kind: 'font-unusable', path, debianPackage: 'fonts-ipamj-mincho' },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a font without Japanese glyphs', () => {
    // A real TrueType font made from IPAex明朝 with only the glyphs of "ABC" and no Japanese.
    const ipaex = create(readFileSync(join(FONT_SOURCES.body.debianDir, 'ipaexm.ttf'))) as Font;
    const subset = ipaex.createSubset();
    for (const glyph of ipaex.glyphsForString('ABC')) subset.includeGlyph(glyph);
    const dir = mkdtempSync(join(tmpdir(), 'fonts-'));
    try {
      const path = join(dir, 'latin.ttf');
      writeFileSync(path, subset.encode());
      expect(loadKioskFonts({ bodyFontPath: path })).toEqual({
        ok: false,
        error: {
          kind: 'font-unusable',
          path,
          debianPackage: 'fonts-ipaexfont-mincho',
          detail: 'no Japanese glyphs',
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("measures a text as pdfkit's full layout does, for the sample documents' texts in both fonts", () => {
    const loaded = loadKioskFonts({ env: {} });
    if (!loaded.ok) throw new Error(`fonts missing: ${JSON.stringify(loaded.error)}`);
    const pdf = new PDFDocument({ autoFirstPage: false });
    pdf.registerFont('body', loaded.fonts.body as unknown as Uint8Array);
    pdf.registerFont('name', loaded.fonts.name as unknown as Uint8Array);
    const texts = new Set<string>([
      'SMITH John AVA WAY To ffi fl',
      'NGUYỄN VĂN AN Trần Thị Hương',
      '令和8年12月2日',
      'ＡＢＣ　Ｔｏ',
      '東京都千代田区霞が関一丁目２番３号　ｸﾞﾗﾝﾄﾞ・メゾン１０１',
      '辻\u{E0100}本 久美子',
    ]);
    const collect = (value: unknown): void => {
      if (typeof value === 'string') texts.add(value);
      else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect(sampleSet().map((entry) => entry.document));
    let measured = 0;
    let laidOut = 0;
    for (const name of ['body', 'name'] as const) {
      for (const text of texts) {
        const perPoint = advanceWidthPerPoint(loaded.fonts[name], text);
        pdf.font(name).fontSize(10);
        const width = pdf.widthOfString(text) / 10;
        if (perPoint === undefined) {
          laidOut += 1;
          continue;
        }
        measured += 1;
        expect(perPoint).toBeCloseTo(width, 9);
      }
    }
    expect(measured).toBeGreaterThan(200);
    // Variation sequences (辻󠄀, 邉󠄀) are left to the full layout, where the selector has no width.
    expect(laidOut).toBeGreaterThan(0);
    expect(advanceWidthPerPoint(loaded.fonts.name, '葛\u{E0100}城')).toBeUndefined();
  });
});
