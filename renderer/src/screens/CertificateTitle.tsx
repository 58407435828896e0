import { useTranslation } from 'react-i18next';
import type { Language } from '../../../electron/kiosk-api.ts';
import type { CertificateType } from '../../../protocol/index.ts';

/**
 * A certificate's title: the official Japanese name, as it is printed on the paper, and in any
 * other language the translation beside it.
 */
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
      <span className="certificate-title-main" lang="ja">
        {i18n.getFixedT('ja')(`certificate.${certificateType}`)}
      </span>
      {language !== 'ja' && (
        <span className="certificate-title-translation" data-testid="certificate-translation">
          {t(`certificate.${certificateType}`)}
        </span>
      )}
    </span>
  );
}
