import i18next from 'i18next';
import type { i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

export const LANGUAGES: readonly Language[] = ['ja', 'en'];

/**
 * A fresh i18next instance with every string bundled (the page loads nothing at run time).
 * The host decides the language; the page follows `snapshot.language`.
 */
export function createKioskI18n(language: Language = 'ja'): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { ja: { translation: ja }, en: { translation: en } },
    lng: language,
    fallbackLng: 'ja',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    returnNull: false,
    interpolation: { escapeValue: false }, // React escapes
    react: { useSuspense: false },
  });
  return instance;
}

/** Yen amounts with digit grouping; the currency sign or 円 comes from the message. */
export function groupDigits(amount: number): string {
  return amount.toLocaleString('ja-JP');
}
