import { useTranslation } from 'react-i18next';
import { Spinner } from './Spinner.tsx';

/**
 * A neutral screen for when no session can be shown: the host is not there yet ('starting'), or
 * it stopped answering ('disconnected'). It needs no store, so it can show before the host exists.
 */
export function StatusScreen({ kind }: { kind: 'starting' | 'disconnected' }) {
  const { t } = useTranslation();
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
          <Spinner />
          <h1>{kind === 'starting' ? t('app.starting') : t('app.disconnected')}</h1>
          <p className="lead">
            {kind === 'starting' ? t('app.startingDetail') : t('app.disconnectedDetail')}
          </p>
        </div>
      </main>
      <footer className="kiosk-footer" />
    </div>
  );
}
