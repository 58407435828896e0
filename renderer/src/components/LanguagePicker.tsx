import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import { LANGUAGES } from '../i18n/index.ts';
import { useKioskActions, useLanguage } from '../kioskContext.tsx';

/** One button per language, each labelled in its own language; the host switches, the page follows. */
export function LanguageButtons({ onChosen }: { onChosen?: () => void }) {
  const { i18n } = useTranslation();
  const { setLanguage } = useKioskActions();
  const current = useLanguage();
  return (
    <ul className="language-list">
      {LANGUAGES.map((language: Language) => (
        <li key={language}>
          <button
            type="button"
            lang={language}
            className="button button--toggle button--language"
            aria-pressed={current === language}
            data-testid={`language-${language}`}
            onClick={() => {
              void setLanguage(language);
              onChosen?.();
            }}
          >
            {i18n.getFixedT(language)('language.name')}
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The compact picker in every screen's header: shows the current language and opens the list of
 * all languages. Choosing one keeps the resident where they are.
 */
export function LanguagePicker() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    panelRef.current?.querySelector<HTMLElement>('[aria-pressed="true"]')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  return (
    <div className="language-picker">
      <button
        type="button"
        className="language-picker-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="language-picker"
        onClick={() => setOpen((was) => !was)}
      >
        <span className="language-picker-globe" aria-hidden="true" />
        <span>{t('language.name')}</span>
      </button>
      {open && (
        <div
          className="language-panel"
          role="dialog"
          aria-label={t('language.picker')}
          data-testid="language-panel"
          ref={panelRef}
        >
          <p className="language-panel-title">{t('language.picker')}</p>
          <LanguageButtons onChosen={() => setOpen(false)} />
          <button
            type="button"
            className="button language-panel-close"
            data-testid="language-close"
            onClick={() => setOpen(false)}
          >
            {t('language.close')}
          </button>
        </div>
      )}
    </div>
  );
}
