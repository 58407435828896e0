import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../../components/ScreenFrame.tsx';
import type { ScreenView } from '../../kioskContext.tsx';

/** What residents see while the operator has switched the kiosk off: the reason, in their language. */
export function OperatorOutOfServiceScreen({ view }: { view: ScreenView<'out-of-service'> }) {
  const { t } = useTranslation();
  if (view.notice === undefined) return null;
  return (
    <ScreenFrame name="out-of-service">
      <div className="centered" role="status" data-testid="out-of-service-notice" data-notice={view.notice}>
        <h1>{t('app.outOfService')}</h1>
        <p className="lead">{t(`outOfServiceNotice.${view.notice}`)}</p>
      </div>
    </ScreenFrame>
  );
}
