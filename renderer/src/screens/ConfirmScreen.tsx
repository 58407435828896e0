import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { useKiosk, useKioskActions, useYen } from '../kioskContext.tsx';
import type { ScreenView } from '../kioskContext.tsx';
import { CertificateOptions } from './CertificateOptions.tsx';
import { CertificateTitle } from './CertificateTitle.tsx';

export function ConfirmScreen({ view }: { view: ScreenView<'confirm'> }) {
  const { t } = useTranslation();
  const yen = useYen();
  const { setCopies, confirm, backToMenu } = useKioskActions();
  const language = useKiosk((s) => s.snapshot?.language ?? 'ja');
  const options = view.options;
  const summary = (
    <>
      <dl className="summary">
        <div className="summary-row">
          <dt>{t('confirm.certificate')}</dt>
          <dd>
            <CertificateTitle certificateType={view.certificateType} language={language} />
          </dd>
        </div>
        <div className="summary-row">
          <dt>{t('confirm.feePerCopy')}</dt>
          <dd>{yen(view.feeYen)}</dd>
        </div>
        <div className="summary-row">
          <dt>{t('confirm.copies')}</dt>
          <dd className="copies">
            <button
              type="button"
              className="button button--round"
              data-testid="copies-minus"
              aria-label={t('confirm.copiesMinus')}
              disabled={view.copies <= 1}
              onClick={() => void setCopies(view.copies - 1)}
            >
              −
            </button>
            <output className="copies-value" data-testid="copies-value" aria-live="polite">
              {t('confirm.copiesValue', { count: view.copies })}
            </output>
            <button
              type="button"
              className="button button--round"
              data-testid="copies-plus"
              aria-label={t('confirm.copiesPlus')}
              disabled={view.copies >= view.maxCopies}
              onClick={() => void setCopies(view.copies + 1)}
            >
              +
            </button>
            <span className="copies-max">{t('confirm.maxCopies', { count: view.maxCopies })}</span>
          </dd>
        </div>
        <div className="summary-row summary-row--total">
          <dt>{t('confirm.total')}</dt>
          <dd data-testid="total">{yen(view.totalYen)}</dd>
        </div>
      </dl>
      <button
        type="button"
        className="button button--primary button--wide"
        data-testid="confirm-button"
        disabled={view.complete === false}
        onClick={() => void confirm()}
      >
        {t('confirm.next')}
      </button>
    </>
  );
  return (
    <ScreenFrame name="confirm" step="confirm" cancellable confirmCancel onBack={() => void backToMenu()}>
      {options ? (
        <div className="confirm confirm--with-options">
          <h1 tabIndex={-1}>{t('confirm.heading')}</h1>
          <div className="confirm-columns">
            <div className="confirm-options">
              <CertificateOptions options={options} />
            </div>
            <div className="confirm-summary">
              {summary}
              {view.certificateType === 'juminhyo' && (
                <p className="hint" data-testid="my-number-note">
                  {t('confirm.myNumberNote')}
                </p>
              )}
            </div>
          </div>
        </div>
      ) : (
        <div className="confirm">
          <h1 tabIndex={-1}>{t('confirm.heading')}</h1>
          {summary}
        </div>
      )}
    </ScreenFrame>
  );
}
