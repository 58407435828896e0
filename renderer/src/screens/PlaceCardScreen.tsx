import { useTranslation } from 'react-i18next';
import { PlaceCardIllustration } from '../components/Illustrations.tsx';
import { RubyText } from '../components/RubyText.tsx';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import type { ScreenView } from '../kioskContext.tsx';

export function PlaceCardScreen({ view }: { view: ScreenView<'place-card'> }) {
  const { t } = useTranslation();
  return (
    <ScreenFrame name="place-card" step="card" cancellable>
      <div className="split">
        <div className="split-text">
          <h1 tabIndex={-1}>
            <RubyText text={t('placeCard.heading')} />
          </h1>
          <p className="lead">{t('placeCard.body')}</p>
          <p className="notice notice--info">{t('placeCard.hint')}</p>
          {view.reader !== 'ready' && (
            <p className="notice notice--error" role="alert">
              {t(`welcome.reader.${view.reader}`)}
            </p>
          )}
        </div>
        <div className="split-art">
          <PlaceCardIllustration readerLabel={t('placeCard.readerLabel')} />
        </div>
      </div>
    </ScreenFrame>
  );
}
