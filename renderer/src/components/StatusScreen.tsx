import { useTranslation } from 'react-i18next';
import { Spinner } from './Spinner.tsx';

/**
 * A neutral screen for when no session can be shown: the host is not there yet ('starting'), it
 * stopped answering ('disconnected'), or it failed too often and is restarting ('out-of-service').
 * It needs no store, so it can show before the host exists.
 */
export function StatusScreen({ kind }: { kind: 'starting' | 'disconnected' | 'out-of-service' }) {
  const { t } = useTranslation();
  const text = {
    starting: [t('app.starting'), t('app.startingDetail')],
    disconnected: [t('app.disconnected'), t('app.disconnectedDetail')],
    'out-of-service': [t('app.outOfService'), t('app.outOfServiceDetail')],
  }[kind];
  return (
    <div className="kiosk kiosk--status">
      <header className="kiosk-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">{t('app.brand')}</span>
          <span className="brand-service">{t('app.service')}</span>
        </div>
      </header>
      <main className="kiosk-body" data-testid={`screen-${kind}`}>
        <div className="centered" role="status">
          {kind === 'out-of-service' ? null : <Spinner />}
          <h1>{text[0]}</h1>
          <p className="lead">{text[1]}</p>
        </div>
      </main>
      <footer className="kiosk-footer" />
    </div>
  );
}
