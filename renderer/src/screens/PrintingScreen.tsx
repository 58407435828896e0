import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { CertificateIllustration } from '../components/Illustrations.tsx';
import type { ScreenView } from '../kioskContext.tsx';

/**
 * Printing. The printer reports only when the whole job is done, so the page does not pretend to
 * count sheets: it says how many copies are being printed and shows a bar that moves without a value.
 */
export function PrintingScreen({ view }: { view: ScreenView<'printing'> }) {
  const { t } = useTranslation();
  const total = Math.max(1, view.copies);
  const label = t('printing.progress', { total });
  return (
    <ScreenFrame name="printing" step="print">
      <div className="centered">
        <CertificateIllustration className="printing-icon" />
        <h1 tabIndex={-1}>{t('printing.heading')}</h1>
        <div
          className="progress progress--indeterminate"
          role="progressbar"
          aria-valuetext={label}
          aria-label={t('printing.heading')}
          data-testid="print-progress"
        >
          <div className="progress-bar" />
        </div>
        <p className="progress-label" role="status" data-testid="print-progress-label">
          {label}
        </p>
        <p className="lead">{t('printing.body')}</p>
      </div>
    </ScreenFrame>
  );
}
