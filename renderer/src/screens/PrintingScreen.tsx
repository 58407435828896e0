import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { CertificateIllustration } from '../components/Illustrations.tsx';
import type { ScreenView } from '../kioskContext.tsx';

export function PrintingScreen({ view }: { view: ScreenView<'printing'> }) {
  const { t } = useTranslation();
  const total = Math.max(1, view.copies);
  const done = Math.min(view.copiesPrinted, total);
  // Show the sheet in progress as half done, so the bar moves as soon as printing starts.
  const percent = Math.round(((done + (done < total ? 0.5 : 0)) / total) * 100);
  const label = t('printing.progress', { done, total });
  return (
    <ScreenFrame name="printing" step="print">
      <div className="centered">
        <CertificateIllustration className="printing-icon" />
        <h1 tabIndex={-1}>{t('printing.heading')}</h1>
        <div
          className="progress"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={label}
          data-testid="print-progress"
        >
          <div className="progress-bar" style={{ width: `${percent}%` }} />
        </div>
        <p className="progress-label" role="status">
          {label}
        </p>
        <p className="lead">{t('printing.body')}</p>
      </div>
    </ScreenFrame>
  );
}
