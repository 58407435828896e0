import { useTranslation } from 'react-i18next';
import type { Language, MenuItemView, NoticeView } from '../../../electron/kiosk-api.ts';
import type { UnavailableReason } from '../../../protocol/index.ts';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKiosk, useKioskActions, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { CertificateTitle } from './CertificateTitle.tsx';

/**
 * One big button per certificate the municipality offers; the others greyed with the reason.
 * A 戸籍 item that waits for the 利用登録 stays touchable: it leads to filing that request.
 */
export function MenuScreen({ view }: { view: ScreenView<'menu'> }) {
  const { t } = useTranslation();
  const language = useKiosk((s) => s.snapshot?.language ?? 'ja');
  const notices = view.notices ?? [];
  const noneAvailable = view.items.every((item) => !item.available);
  return (
    <ScreenFrame name="menu" step="choose" cancellable confirmCancel>
      <div className="menu">
        <div className="menu-head">
          <h1 tabIndex={-1}>{t('menu.heading')}</h1>
          <p className="menu-municipality">{t('menu.municipality', { name: view.municipalityName })}</p>
        </div>
        {notices.length > 0 && <Notices notices={notices} language={language} />}
        {noneAvailable && (
          <NoneAvailable items={view.items} registrationFiled={view.registrationFiled === true} />
        )}
        <div className="menu-grid">
          {view.items.map((item) => (
            <MenuItemButton
              key={item.certificateType}
              item={item}
              language={language}
              registrationFiled={view.registrationFiled === true}
            />
          ))}
        </div>
      </div>
    </ScreenFrame>
  );
}

/**
 * When nothing on the menu can be issued: one summary of why, each reason once, and where to go,
 * instead of a grid of grey buttons to decode.
 */
function NoneAvailable({ items, registrationFiled }: { items: MenuItemView[]; registrationFiled: boolean }) {
  const { t } = useTranslation();
  const reasons: UnavailableReason[] = [];
  for (const item of items) if (!item.available && !reasons.includes(item.reason)) reasons.push(item.reason);
  return (
    <section
      className="menu-none notice notice--warning"
      role="status"
      aria-labelledby="menu-none-heading"
      data-testid="menu-none-available"
    >
      <h2 id="menu-none-heading">{t('menu.noneHeading')}</h2>
      <p>{t('menu.noneBody')}</p>
      <ul>
        {reasons.map((reason) => (
          <li key={reason} data-testid={`menu-none-reason-${reason}`}>
            <strong>
              {reason === 'registration-needed' && registrationFiled
                ? t('menu.registrationFiled')
                : t(`unavailable.${reason}`)}
            </strong>
            {reason === 'registration-needed' && registrationFiled ? null : (
              <span> — {t(`unavailableHelp.${reason}`)}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Notices({ notices, language }: { notices: NoticeView[]; language: Language }) {
  const { t } = useTranslation();
  return (
    <section
      className="menu-notices notice notice--info"
      aria-label={t('menu.notices')}
      data-testid="notices"
    >
      <ul>
        {notices.map((notice) => {
          // The municipality writes notices in Japanese and sometimes English: a resident who reads
          // neither gets the English one, which more of them read than Japanese.
          const english = language !== 'ja' && notice.en !== undefined && notice.en !== '';
          return (
            <li key={notice.id} data-testid={`notice-${notice.id}`} lang={english ? 'en' : 'ja'}>
              {english ? notice.en : notice.ja}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function MenuItemButton({
  item,
  language,
  registrationFiled,
}: {
  item: MenuItemView;
  language: Language;
  registrationFiled: boolean;
}) {
  const { t } = useTranslation();
  const yen = useYen();
  const { chooseCertificate, requestKosekiRegistration } = useKioskActions();
  const title = <CertificateTitle certificateType={item.certificateType} language={language} />;

  if (item.available) {
    return (
      <button
        type="button"
        className="menu-item"
        data-testid={`menu-item-${item.certificateType}`}
        onClick={() => void chooseCertificate(item.certificateType)}
      >
        {title}
        <span className="menu-item-fee">{t('menu.fee', { fee: yen(item.feeYen) })}</span>
      </button>
    );
  }

  const canRegister = item.reason === 'registration-needed' && !registrationFiled;
  const reason =
    item.reason === 'registration-needed' && registrationFiled
      ? t('menu.registrationFiled')
      : t(`unavailable.${item.reason}`);
  return (
    <button
      type="button"
      className={
        canRegister
          ? 'menu-item menu-item--unavailable menu-item--action'
          : 'menu-item menu-item--unavailable'
      }
      data-testid={`menu-item-${item.certificateType}`}
      disabled={!canRegister}
      onClick={canRegister ? () => void requestKosekiRegistration() : undefined}
    >
      {title}
      <span className="menu-item-reason-line">
        <span className="menu-item-reason" data-testid={`menu-reason-${item.certificateType}`}>
          <span className="visually-hidden">{t('menu.unavailable')}: </span>
          {reason}
        </span>
        {canRegister && (
          <span className="menu-item-action" data-testid={`registration-action-${item.certificateType}`}>
            {t('menu.registrationAction')}
          </span>
        )}
      </span>
    </button>
  );
}
