import { useTranslation } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { CardIllustration, CertificateIllustration } from '../components/Illustrations.tsx';
import { useKiosk, useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

const LANGUAGE_BUTTONS: readonly { language: Language; labelKey: 'welcome.japanese' | 'welcome.english' }[] =
  [
    { language: 'ja', labelKey: 'welcome.japanese' },
    { language: 'en', labelKey: 'welcome.english' },
  ];

export function WelcomeScreen({ view }: { view: ScreenView<'welcome'> }) {
  const { t } = useTranslation();
  const { start } = useKioskActions();
  const ready = view.reader === 'ready';

  return (
    <ScreenFrame name="welcome" footerStart={<LanguageSwitch />}>
      <div className="welcome">
        <div className="welcome-main">
          <h1 className="welcome-heading" tabIndex={-1}>
            {t('welcome.heading')}
          </h1>
          <p className="lead">{t('welcome.lead')}</p>
          {!ready && (
            <p className="notice notice--error" role="alert">
              {t(`welcome.reader.${view.reader}`)}
            </p>
          )}
          <button
            type="button"
            className="button button--primary button--hero"
            data-testid="start-button"
            disabled={!ready}
            onClick={() => void start()}
          >
            {t('welcome.start')}
          </button>
          {ready && <p className="hint">{t('welcome.startHint')}</p>}
        </div>
        <aside className="needs">
          <h2>{t('welcome.needs')}</h2>
          <ul>
            <li>
              <CardIllustration className="needs-icon" />
              <span>{t('welcome.needCard')}</span>
            </li>
            <li>
              <span className="needs-pin" aria-hidden="true">
                {[0, 1, 2, 3].map((index) => (
                  <span key={index} className="needs-pin-dot" />
                ))}
              </span>
              <span>{t('welcome.needPin')}</span>
            </li>
            <li>
              <CertificateIllustration className="needs-icon needs-icon--narrow" />
              <span>{t('welcome.needFee')}</span>
            </li>
          </ul>
        </aside>
      </div>
    </ScreenFrame>
  );
}

/** 日本語 / English. The host switches the language; the page follows the next snapshot. */
function LanguageSwitch() {
  const { t } = useTranslation();
  const { setLanguage } = useKioskActions();
  const language = useKiosk((s) => s.snapshot?.language ?? 'ja');
  return (
    <div className="language-switch" role="group" aria-label={t('welcome.language')}>
      <span className="language-switch-label">{t('welcome.language')}</span>
      {LANGUAGE_BUTTONS.map(({ language: option, labelKey }) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="button button--toggle"
          aria-pressed={language === option}
          data-testid={`language-${option}`}
          onClick={() => void setLanguage(option)}
        >
          {t(labelKey)}
        </button>
      ))}
    </div>
  );
}
