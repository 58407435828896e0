/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { findUntranslatedLiterals } from './untranslated-literals.ts';

// Every component of the page, as source text (vite reads them; the renderer has no fs).
const COMPONENTS = import.meta.glob(['../**/*.tsx', '!../**/*.test.tsx'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('no text bypasses i18n', () => {
  it('finds literal text, attributes and template literals a resident would read', () => {
    const findings = findUntranslatedLiterals(
      'Example.tsx',
      [
        'export const A = () => (',
        '  <div title="Close" aria-label={`閉じる`}>',
        '    お待ちください',
        "    {'Loading'}",
        '    <img alt="" />',
        '    {`${n}円`}',
        '    <b>{count} / 4</b>',
        '    <span>−</span>',
        '  </div>',
        ');',
      ].join('\n'),
    );
    expect(findings.map((f) => f.text)).toEqual(['Close', '閉じる', 'お待ちください', 'Loading', '円']);
    expect(findings.map((f) => f.line)).toEqual([2, 2, 3, 4, 6]);
  });

  it('reads every component of the page', () => {
    const files = Object.keys(COMPONENTS);
    expect(files.some((f) => f.endsWith('screens/PinEntryScreen.tsx'))).toBe(true);
    expect(files.some((f) => f.endsWith('components/ScreenFrame.tsx'))).toBe(true);
    expect(files.some((f) => f.endsWith('.test.tsx'))).toBe(false);
  });

  it('has no user-visible literal in any component', () => {
    const findings = Object.entries(COMPONENTS).flatMap(([file, source]) =>
      findUntranslatedLiterals(file, source),
    );
    expect(findings).toEqual([]);
  });
});
