import { useTranslation } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import type { CertificateType } from '../../../protocol/index.ts';

/** A certificate's title; in English the official Japanese name follows, as it is printed on the paper. */
export function CertificateTitle({
  certificateType,
  language,
}: {
  certificateType: CertificateType;
  language: Language;
}) {
  const { t, i18n } = useTranslation();
  return (
    <span className="certificate-title">
      <span className="certificate-title-main">{t(`certificate.${certificateType}`)}</span>
      {language !== 'ja' && (
        <span className="certificate-title-ja" lang="ja">
          {i18n.getFixedT('ja')(`certificate.${certificateType}`)}
        </span>
      )}
    </span>
  );
}
