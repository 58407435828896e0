import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { create, type Font } from 'fontkit';

/**
 * The two embedded 明朝 fonts of every printed certificate.
 * - body: IPAex明朝 for headings, labels and the 認証文.
 * - name: IPAmj明朝 (the MJ character set: 戸籍 and 住民票 names, ideographic variation
 *   sequences) for names and addresses.
 * Font files are never copied into the repository: they come from Debian packages.
 */
export type FontRole = 'body' | 'name';

export interface FontSource {
  readonly role: FontRole;
  readonly fileName: string;
  readonly debianDir: string;
  readonly debianPackage: string;
}

export const FONT_SOURCES: Readonly<Record<FontRole, FontSource>> = {
  body: {
    role: 'body',
    fileName: 'ipaexm.ttf',
    debianDir: '/usr/share/fonts/opentype/ipaexfont-mincho',
    debianPackage: 'fonts-ipaexfont-mincho',
  },
  name: {
    role: 'name',
    fileName: 'ipamjm.ttf',
    debianDir: '/usr/share/fonts/truetype/ipamj',
    debianPackage: 'fonts-ipamj-mincho',
  },
};

export type FontError =
  | { kind: 'font-missing'; path: string; debianPackage: string }
  | { kind: 'font-unusable'; path: string; debianPackage: string; detail: string };

export interface FontOptions {
  /** A folder holding both ipaexm.ttf and ipamjm.ttf (overrides the Debian locations). */
  fontDir?: string;
  /** Exact path of the body font (wins over fontDir). */
  bodyFontPath?: string;
  /** Exact path of the name font (wins over fontDir). */
  nameFontPath?: string;
  /** Environment to read KIOSK_FONT_DIR from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface KioskFonts {
  readonly body: Font;
  readonly name: Font;
  readonly paths: Readonly<Record<FontRole, string>>;
}

export type FontLoad = { ok: true; fonts: KioskFonts } | { ok: false; error: FontError };

/** Characters every certificate font must draw; a font without them is never used. */
const JAPANESE_PROBE = '住民票の写し証明市長';

export function resolveFontPaths(options: FontOptions = {}): Readonly<Record<FontRole, string>> {
  const env = options.env ?? process.env;
  const dir = options.fontDir ?? (env['KIOSK_FONT_DIR'] || undefined);
  const last = lastResolved;
  if (
    last &&
    last.dir === dir &&
    last.bodyFontPath === options.bodyFontPath &&
    last.nameFontPath === options.nameFontPath
  )
    return last.paths;
  const pathFor = (role: FontRole): string => {
    const source = FONT_SOURCES[role];
    return join(dir ?? source.debianDir, source.fileName);
  };
  const paths = Object.freeze({
    body: options.bodyFontPath ?? pathFor('body'),
    name: options.nameFontPath ?? pathFor('name'),
  });
  lastResolved = { dir, bodyFontPath: options.bodyFontPath, nameFontPath: options.nameFontPath, paths };
  return paths;
}

/** The last paths resolved and what they were resolved from: every check of a menu asks the same. */
let lastResolved:
  | {
      dir: string | undefined;
      bodyFontPath: string | undefined;
      nameFontPath: string | undefined;
      paths: Readonly<Record<FontRole, string>>;
    }
  | undefined;

// Parsed fonts are kept per path and file identity: IPAmj明朝 is 46 MB and takes a while to
// read. A font object holds glyph outlines only, never the text laid out with it.
const cache = new Map<string, { stamp: string; font: Font; statedAt: number }>();

/**
 * How long a font file's identity, once checked, is taken as unchanged (ms). The centre checks
 * every document of every menu (eight or so a sign-in, hundreds a second), and two stat calls each
 * time were a measurable part of the check: a font package replaced under a running process is
 * seen within this time instead of at the very next document.
 */
export const FONT_RECHECK_MS = 1000;

function loadOne(role: FontRole, path: string): { ok: true; font: Font } | { ok: false; error: FontError } {
  const { debianPackage } = FONT_SOURCES[role];
  const now = performance.now();
  const recent = cache.get(path);
  if (recent && now - recent.statedAt < FONT_RECHECK_MS) return { ok: true, font: recent.font };
  let stamp: string;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return { ok: false, error: { kind: 'font-missing', path, debianPackage } };
    stamp = `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return { ok: false, error: { kind: 'font-missing', path, debianPackage } };
  }
  const cached = cache.get(path);
  if (cached && cached.stamp === stamp) {
    cached.statedAt = now;
    return { ok: true, font: cached.font };
  }
  let font: Font;
  try {
    const parsed = create(readFileSync(path));
    if (!('glyphsForString' in parsed)) {
      return {
        ok: false,
        error: { kind: 'font-unusable', path, debianPackage, detail: 'a font collection' },
      };
    }
    font = parsed;
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'unreadable';
    return { ok: false, error: { kind: 'font-unusable', path, debianPackage, detail } };
  }
  let drawsJapanese: boolean;
  try {
    drawsJapanese = firstMissingCodePoint(font, JAPANESE_PROBE) === undefined;
  } catch {
    drawsJapanese = false; // e.g. a font without a usable cmap
  }
  if (!drawsJapanese) {
    return { ok: false, error: { kind: 'font-unusable', path, debianPackage, detail: 'no Japanese glyphs' } };
  }
  cache.set(path, { stamp, font, statedAt: now });
  return { ok: true, font };
}

/** Loads (or reuses) both certificate fonts. Never falls back to another font. */
export function loadKioskFonts(options: FontOptions = {}): FontLoad {
  const paths = resolveFontPaths(options);
  const body = loadOne('body', paths.body);
  if (!body.ok) return body;
  const name = loadOne('name', paths.name);
  if (!name.ok) return name;
  return { ok: true, fonts: { body: body.font, name: name.font, paths } };
}

const isVariationSelector = (cp: number): boolean =>
  (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/**
 * The first code point of `text` the font cannot draw (glyph 0, .notdef), as "U+XXXX".
 * A character followed by a variation selector is looked up as that sequence (cmap format 14).
 */
export function firstMissingCodePoint(font: Font, text: string): string | undefined {
  // Code point by code point along the string (no array of them: every text of every form passes here).
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    if (isVariationSelector(cp)) continue;
    const next = i < text.length ? text.codePointAt(i) : undefined;
    const drawn =
      next !== undefined && isVariationSelector(next)
        ? !font.glyphsForString(String.fromCodePoint(cp, next)).some((g) => g.id === 0)
        : hasGlyph(font, cp);
    if (!drawn) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return undefined;
}

/**
 * Whether the font's cmap maps a lone code point to a glyph, remembered per font: every name and
 * address on every form is checked this way, and the answer for a code point never changes.
 */
const glyphKnown = new WeakMap<Font, Map<number, boolean>>();
function hasGlyph(font: Font, cp: number): boolean {
  let known = glyphKnown.get(font);
  if (!known) {
    known = new Map();
    glyphKnown.set(font, known);
  }
  let answer = known.get(cp);
  if (answer === undefined) {
    answer = font.hasGlyphForCodePoint(cp);
    known.set(cp, answer);
  }
  return answer;
}

/** Code points whose width depends on their neighbours in a shaped layout: marks and selectors. */
const isShapingCodePoint = (cp: number): boolean =>
  isVariationSelector(cp) ||
  (cp >= 0x0300 && cp <= 0x036f) || // combining diacritical marks
  (cp >= 0x3099 && cp <= 0x309a) || // combining (han)dakuten
  cp === 0x200c ||
  cp === 0x200d; // ZWNJ, ZWJ

const advances = new WeakMap<Font, Map<number, number>>();

/**
 * The width of `text` at 1 pt as the sum of its glyphs' advances (cached per font and code point),
 * or undefined when the text has a variation selector, a combining mark or a joiner, whose width
 * only a full layout gives. For the forms' fonts (IPAex明朝, IPAmj明朝) fontkit's default layout
 * applies no kerning or ligature, so the sum is the layout's width (checked against pdfkit's
 * widthOfString over the seed register's texts in fonts.test.ts) without shaping each text: the
 * printability check measures every name and address of every document on the menu.
 */
export function advanceWidthPerPoint(font: Font, text: string): number | undefined {
  let known = advances.get(font);
  if (!known) {
    known = new Map();
    advances.set(font, known);
  }
  let units = 0;
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i) ?? 0;
    i += cp > 0xffff ? 2 : 1;
    if (isShapingCodePoint(cp)) return undefined;
    let advance = known.get(cp);
    if (advance === undefined) {
      advance = font.glyphForCodePoint(cp).advanceWidth;
      known.set(cp, advance);
    }
    units += advance;
  }
  return units / font.unitsPerEm;
}
