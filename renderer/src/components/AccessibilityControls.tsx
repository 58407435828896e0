import { useTranslation } from 'react-i18next';
import { useAccessibility } from '../accessibility.tsx';
import { useLanguage } from '../kioskContext.tsx';
import { instructionOf } from '../guide.ts';

const VOLUME_STEP = 0.2;

/**
 * On every screen: 音声案内 (speaks the screen's instruction and turns the guide on), the volume,
 * high contrast and larger text. Each is a real button with a name in the resident's language.
 */
export function AccessibilityControls({ body }: { body: () => HTMLElement | null }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const a11y = useAccessibility();
  const percent = Math.round(a11y.volume * 100);
  return (
    <div className="a11y-controls" role="group" aria-label={t('display.label')}>
      <button
        type="button"
        className="button button--small button--toggle"
        data-testid="guide-speak"
        aria-pressed={a11y.guide}
        onClick={() => {
          const element = body();
          if (element) a11y.speak(instructionOf(element), language);
        }}
      >
        {t('guide.speak')}
      </button>
      {a11y.guide && (
        <span className="volume" role="group" aria-label={t('guide.volume')}>
          <button
            type="button"
            className="button button--small"
            data-testid="volume-down"
            aria-label={`${t('guide.volume')} −`}
            disabled={a11y.volume <= 0}
            onClick={() => a11y.setVolume(a11y.volume - VOLUME_STEP)}
          >
            −
          </button>
          <span className="volume-value" data-testid="volume-value" role="status">
            {percent}%
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="volume-up"
            aria-label={`${t('guide.volume')} +`}
            disabled={a11y.volume >= 1}
            onClick={() => a11y.setVolume(a11y.volume + VOLUME_STEP)}
          >
            +
          </button>
        </span>
      )}
      <button
        type="button"
        className="button button--small button--toggle"
        data-testid="display-contrast"
        aria-pressed={a11y.contrast}
        onClick={a11y.toggleContrast}
      >
        {t('display.contrast')}
      </button>
      <button
        type="button"
        className="button button--small button--toggle"
        data-testid="display-large-text"
        aria-pressed={a11y.largeText}
        onClick={a11y.toggleLargeText}
      >
        {t('display.largeText')}
      </button>
    </div>
  );
}
