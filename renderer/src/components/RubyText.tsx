import { Fragment } from 'react';
import type { ReactNode } from 'react';

/** `{漢字|かんじ}` in a message: the base text with its reading above it. */
const READING = /\{([^|{}]+)\|([^|{}]+)\}/g;

/**
 * A message with furigana: `{証明書|しょうめいしょ}を{取得|しゅとく}` becomes
 * 証明書 and 取得 in <ruby> with their readings. Text without marks comes out as it is, so the same
 * component shows every language; only the Japanese messages carry readings.
 */
export function RubyText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(READING)) {
    const [whole, base, reading] = match;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(
      <ruby key={match.index}>
        {base}
        <rp>(</rp>
        <rt>{reading}</rt>
        <rp>)</rp>
      </ruby>,
    );
    last = match.index + whole.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <Fragment>{parts}</Fragment>;
}

/** The message without its reading marks (for aria-labels and plain-text uses). */
export function withoutReadings(text: string): string {
  return text.replace(READING, '$1');
}
