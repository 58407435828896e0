import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKiosk, useKioskActions, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { CertificateTitle } from './CertificateTitle.tsx';

/** One big button per certificate the municipality offers; the others greyed with the reason. */
export function MenuScreen({ view }: { view: ScreenView<'menu'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const { chooseCertificate } = useKioskActions();
  const language = useKiosk((s) => s.snapshot?.language ?? 'ja');
  return (
    <ScreenFrame name="menu" step="choose" cancellable>
      <div className="menu">
        <div className="menu-head">
          <h1 tabIndex={-1}>{t('menu.heading')}</h1>
          <p className="menu-municipality">{t('menu.municipality', { name: view.municipalityName })}</p>
        </div>
        <div className="menu-grid">
          {view.items.map((item) => (
            <button
              key={item.certificateType}
              type="button"
              className={item.available ? 'menu-item' : 'menu-item menu-item--unavailable'}
              data-testid={`menu-item-${item.certificateType}`}
              disabled={!item.available}
              onClick={() => void chooseCertificate(item.certificateType)}
            >
              <CertificateTitle certificateType={item.certificateType} language={language} />
              {item.available ? (
                <span className="menu-item-fee">{t('menu.fee', { fee: yen(item.feeYen) })}</span>
              ) : (
                <span className="menu-item-reason" data-testid={`menu-reason-${item.certificateType}`}>
                  <span className="visually-hidden">{t('menu.unavailable')}: </span>
                  {t(`unavailable.${item.reason}`)}
                </span>
              )}
            </button>
          ))}
        </div>
      </div>
    </ScreenFrame>
  );
}
