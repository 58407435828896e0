import { useTranslation } from 'react-i18next';
import { LanguageButtons } from '../components/LanguagePicker.tsx';
import { RubyText, withoutReadings } from '../components/RubyText.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { CardIllustration, CertificateIllustration } from '../components/Illustrations.tsx';
import { useKioskActions } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';

export function WelcomeScreen({ view }: { view: ScreenView<'welcome'> }) {
  const { t } = useTranslation();
  const { start, send } = useKioskActions();
  const ready = view.reader === 'ready';

  return (
    <ScreenFrame name="welcome" languagePicker={false} footerStart={<WelcomeLanguages />}>
      <div className="welcome">
        <div className="welcome-main">
          <h1 className="welcome-heading" tabIndex={-1}>
            <RubyText text={t('welcome.heading')} />
          </h1>
          <p className="lead">{t('welcome.lead')}</p>
          {!ready && (
            <p className="notice notice--error" role="alert">
              {t(`welcome.reader.${view.reader}`)}
            </p>
          )}
          {/* The two ways in side by side: the screen fits 1280×800 in every language. */}
          <div className="welcome-actions">
            <div className="welcome-action">
              <button
                type="button"
                className="button button--primary button--hero"
                data-testid="start-button"
                aria-label={withoutReadings(t('welcome.start'))}
                disabled={!ready}
                onClick={() => void start()}
              >
                <RubyText text={t('welcome.start')} />
              </button>
              {ready && <p className="hint">{t('welcome.startHint')}</p>}
            </div>
            {view.pinResetOffered === true && (
              <div className="welcome-action">
                <button
                  type="button"
                  className="button welcome-pin-reset"
                  data-testid="pin-reset-button"
                  aria-label={withoutReadings(t('welcome.pinReset'))}
                  disabled={!ready}
                  onClick={() => void send({ type: 'start-pin-reset' })}
                >
                  <RubyText text={t('welcome.pinReset')} />
                </button>
                <p className="hint">{t('welcome.pinResetHint')}</p>
              </div>
            )}
          </div>
        </div>
        <aside className="needs">
          <h2>
            <RubyText text={t('welcome.needs')} />
          </h2>
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
              <span>
                <RubyText text={t('welcome.needPin')} />
              </span>
            </li>
            <li>
              <CertificateIllustration className="needs-icon needs-icon--narrow" />
              <span>
                <RubyText text={t('welcome.needFee')} />
              </span>
            </li>
          </ul>
        </aside>
      </div>
    </ScreenFrame>
  );
}

/** The first screen shows every language at once, each in its own words. */
function WelcomeLanguages() {
  const { t } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('language.picker')}>
      <span className="language-switch-label" aria-hidden="true">
        {t('language.picker')}
      </span>
      <LanguageButtons />
    </div>
  );
}
