import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_TITLES_JA,
  CERTIFICATE_TYPES,
  UnavailableReasonSchema,
} from '../../../protocol/index.ts';
import { en } from './en.ts';
import { createKioskI18n } from './index.ts';
import { ja } from './ja.ts';

function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, path === '' ? key : `${path}.${key}`),
  );
}

// The reader state 'ready' has no warning to show, on purpose.
const EMPTY_ON_PURPOSE = new Set(['welcome.reader.ready']);

describe('messages', () => {
  it('has the same keys in Japanese and English, none empty by mistake', () => {
    const jaLeaves = leaves(ja);
    const enLeaves = leaves(en);
    expect(enLeaves.map(([key]) => key)).toEqual(jaLeaves.map(([key]) => key));
    for (const [key, text] of [...jaLeaves, ...enLeaves]) {
      if (!EMPTY_ON_PURPOSE.has(key)) expect(text, key).not.toBe('');
    }
  });

  it('uses the official Japanese certificate titles for every certificate type', () => {
    for (const type of CERTIFICATE_TYPES) {
      expect(ja.certificate[type]).toBe(CERTIFICATE_TITLES_JA[type]);
      expect(en.certificate[type]).toMatch(/\w/);
    }
  });

  it('explains every reason a menu item can be unavailable', () => {
    for (const reason of UnavailableReasonSchema.options) {
      expect(ja.unavailable[reason]).not.toBe('');
      expect(en.unavailable[reason]).not.toBe('');
    }
  });

  it('interpolates amounts and counts', () => {
    const i18n = createKioskI18n('ja');
    expect(i18n.t('common.yen', { amount: '1,000' })).toBe('1,000円');
    expect(i18n.t('pinEntry.triesLeft', { count: 2 })).toBe('あと2回まで入力できます');
    void i18n.changeLanguage('en');
    expect(i18n.t('common.yen', { amount: '1,000' })).toBe('¥1,000');
    expect(i18n.t('printing.progress', { done: 1, total: 3 })).toBe('1 of 3 printed');
  });
});
