import { describe, expect, it } from 'vitest';
import type { Language } from '../../../electron/kiosk-api.ts';
import {
  CERTIFICATE_TITLES_JA,
  CERTIFICATE_TYPES,
  UnavailableReasonSchema,
} from '../../../protocol/index.ts';
import { createKioskI18n, groupDigits, LANGUAGES, MESSAGES } from './index.ts';
import { ja } from './ja.ts';

function leaves(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, path === '' ? key : `${path}.${key}`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

// The reader state 'ready' has no warning to show, on purpose.
const EMPTY_ON_PURPOSE = new Set(['welcome.reader.ready']);

/**
 * Texts that may read the same as the English or Japanese one, per language, each for a reason:
 * the bilingual picker label, the brand, era names and numbers, "PIN"/"OK"/"Total" as those
 * languages write them, and Chinese sharing the kanji of 年度 and 令和/平成.
 */
const SAME_ON_PURPOSE: Record<Exclude<Language, 'ja' | 'en'>, string[]> = {
  'zh-Hans': [
    'language.picker',
    'pinEntry.key',
    'confirm.taxYear',
    'confirm.fiscalYear',
    'confirm.eraReiwa',
    'confirm.eraHeisei',
    'confirm.eraFirstYear',
  ],
  ko: ['language.picker'],
  vi: ['language.picker', 'app.brand', 'confirm.eraReiwa', 'confirm.eraHeisei', 'confirm.eraFirstYear'],
  pt: [
    'language.picker',
    'app.brand',
    'steps.pin',
    'confirm.copiesValue',
    'confirm.total',
    'confirm.eraReiwa',
    'confirm.eraHeisei',
    'confirm.eraFirstYear',
  ],
  es: [
    'language.picker',
    'app.brand',
    'steps.pin',
    'confirm.copiesValue',
    'confirm.total',
    'confirm.eraReiwa',
    'confirm.eraHeisei',
    'confirm.eraFirstYear',
  ],
  // Filipino readers use English for these every day.
  tl: [
    'language.picker',
    'app.brand',
    'common.yen',
    'steps.card',
    'steps.pin',
    'placeCard.readerLabel',
    'pinEntry.submit',
    'confirm.copiesValue',
    'confirm.eraReiwa',
    'confirm.eraHeisei',
    'confirm.eraFirstYear',
    'done.takeCard',
    'registration.requestId',
    'certificate.juminhyo',
    'certificate.inkan',
  ],
};

describe('messages', () => {
  it('speaks the eight languages, Japanese first', () => {
    expect(LANGUAGES).toEqual(['ja', 'en', 'zh-Hans', 'ko', 'vi', 'pt', 'es', 'tl']);
  });

  it.each(LANGUAGES)(
    '%s has every key of Japanese, none empty by mistake, the same placeholders',
    (language) => {
      const jaLeaves = new Map(leaves(ja));
      const own = leaves(MESSAGES[language]);
      expect(own.map(([key]) => key).sort()).toEqual([...jaLeaves.keys()].sort());
      for (const [key, text] of own) {
        if (!EMPTY_ON_PURPOSE.has(key)) expect(text, `${language} ${key}`).not.toBe('');
        expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(jaLeaves.get(key) ?? ''));
        // Furigana marks belong to Japanese only.
        if (language !== 'ja') expect(text, `${language} ${key}`).not.toMatch(/\{[^{}|]+\|[^{}|]+\}/);
      }
    },
  );

  it.each(LANGUAGES.filter((l) => l !== 'ja' && l !== 'en') as Exclude<Language, 'ja' | 'en'>[])(
    '%s is translated, not copied from English or Japanese',
    (language) => {
      const en = new Map(leaves(MESSAGES.en));
      const jaTexts = new Map(leaves(ja));
      const copied = leaves(MESSAGES[language])
        .filter(([key, text]) => text !== '' && (text === en.get(key) || text === jaTexts.get(key)))
        .map(([key]) => key);
      expect(copied.sort()).toEqual([...SAME_ON_PURPOSE[language]].sort());
    },
  );

  it('names each language in itself, every name different', () => {
    const names = LANGUAGES.map((language) => MESSAGES[language].language.name);
    expect(new Set(names).size).toBe(LANGUAGES.length);
    expect(MESSAGES.ja.language.name).toBe('日本語');
    expect(MESSAGES['zh-Hans'].language.name).toBe('简体中文');
    expect(MESSAGES.ko.language.name).toBe('한국어');
    expect(MESSAGES.vi.language.name).toBe('Tiếng Việt');
  });

  it('uses the official Japanese certificate titles for every certificate type', () => {
    for (const type of CERTIFICATE_TYPES) {
      expect(ja.certificate[type]).toBe(CERTIFICATE_TITLES_JA[type]);
      for (const language of LANGUAGES) expect(MESSAGES[language].certificate[type]).toMatch(/\p{L}/u);
    }
  });

  it('explains every reason a menu item can be unavailable, and where to go', () => {
    for (const reason of UnavailableReasonSchema.options)
      for (const language of LANGUAGES) {
        expect(MESSAGES[language].unavailable[reason]).not.toBe('');
        expect(MESSAGES[language].unavailableHelp[reason]).not.toBe('');
      }
  });

  it('interpolates amounts and counts', () => {
    const i18n = createKioskI18n('ja');
    expect(i18n.t('common.yen', { amount: '1,000' })).toBe('1,000円');
    expect(i18n.t('pinEntry.triesLeft', { count: 2 })).toBe('あと2回まで入力できます');
    void i18n.changeLanguage('en');
    expect(i18n.t('common.yen', { amount: '1,000' })).toBe('¥1,000');
    expect(i18n.t('printing.progress', { total: 3 })).toBe('Printing your certificate (copies: 3)');
    void i18n.changeLanguage('zh-Hans');
    expect(i18n.t('printing.progress', { total: 3 })).toBe('正在打印3份');
    void i18n.changeLanguage('ko');
    expect(i18n.t('common.yen', { amount: '1,000' })).toBe('1,000엔');
  });

  it('groups digits as each language does', () => {
    expect(groupDigits(12000, 'ja')).toBe('12,000');
    expect(groupDigits(12000, 'en')).toBe('12,000');
    expect(groupDigits(12000, 'pt')).toBe('12.000');
    expect(groupDigits(12000, 'vi')).toBe('12.000');
    expect(groupDigits(12000, 'es')).toBe('12.000');
  });
});
