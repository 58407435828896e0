import i18next from 'i18next';
import type { i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { ja, type Messages } from './ja.ts';
import { ko } from './ko.ts';
import { pt } from './pt.ts';
import { tl } from './tl.ts';
import { vi } from './vi.ts';
import { zhHans } from './zh-Hans.ts';

/** Every language's messages; the compiler checks that none is missing a language or a key. */
export const MESSAGES: Record<Language, Messages> = {
  ja,
  en,
  'zh-Hans': zhHans,
  ko,
  vi,
  pt,
  es,
  tl,
};

/** The languages in the order the language picker shows them (Japanese first). */
export const LANGUAGES = Object.keys(MESSAGES) as Language[];

/** The locale used for numbers in each language (digit grouping follows the reader's habit). */
export const LOCALES: Record<Language, string> = {
  ja: 'ja-JP',
  en: 'en-GB',
  'zh-Hans': 'zh-CN',
  ko: 'ko-KR',
  vi: 'vi-VN',
  pt: 'pt-BR',
  es: 'es-ES',
  tl: 'fil-PH',
};

/**
 * A fresh i18next instance with every string bundled (the page loads nothing at run time).
 * The host decides the language; the page follows `snapshot.language`.
 */
export function createKioskI18n(language: Language = 'ja'): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: Object.fromEntries(LANGUAGES.map((code) => [code, { translation: MESSAGES[code] }])) as Record<
      Language,
      { translation: Messages }
    >,
    lng: language,
    fallbackLng: 'ja',
    supportedLngs: [...LANGUAGES],
    // 'zh-Hans' is a language of its own here, not 'zh' with a script.
    load: 'currentOnly',
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false }, // React escapes
    react: { useSuspense: false },
  });
  return instance;
}

/** Whole numbers (yen amounts) with the digit grouping of the language; the 円 or ¥ comes from the message. */
export function groupDigits(amount: number, language: Language = 'ja'): string {
  return new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 }).format(amount);
}
