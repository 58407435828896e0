import { useTranslation } from 'react-i18next';
import { ScreenFrame } from '../components/ScreenFrame.tsx';
import { Spinner } from '../components/Spinner.tsx';
import type { Step } from '../components/StepIndicator.tsx';

type BusyName = 'reading-card' | 'authenticating' | 'issuing' | 'registration-filing';

const BUSY: Record<BusyName, { step: Step; cancellable: boolean; heading: string; body: string }> = {
  'reading-card': {
    step: 'card',
    cancellable: true,
    heading: 'readingCard.heading',
    body: 'readingCard.body',
  },
  authenticating: {
    step: 'pin',
    cancellable: true,
    heading: 'authenticating.heading',
    body: 'authenticating.body',
  },
  // Paid and under way: no cancel; a failure ends on the error screen with a refund.
  issuing: { step: 'print', cancellable: false, heading: 'issuing.heading', body: 'issuing.body' },
  'registration-filing': {
    step: 'choose',
    cancellable: false,
    heading: 'registration.filingHeading',
    body: 'registration.filingBody',
  },
};

/** The waiting screens: reading the card, checking the certificate, issuing, filing the 利用登録. */
export function BusyScreen({ name }: { name: BusyName }) {
  const { t } = useTranslation();
  const busy = BUSY[name];
  return (
    <ScreenFrame name={name} step={busy.step} cancellable={busy.cancellable}>
      <div className="centered" aria-busy="true">
        <Spinner />
        <h1 tabIndex={-1}>{t(busy.heading)}</h1>
        <p className="lead" role="status">
          {t(busy.body)}
        </p>
      </div>
    </ScreenFrame>
  );
}
