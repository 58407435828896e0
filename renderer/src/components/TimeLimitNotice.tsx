import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useKiosk, useKioskActions } from '../kioskContext.tsx';

/**
 * The last seconds of a screen's time limit (the host's `timeLimit`): a countdown and 「延長する」.
 * Screen readers hear the warning once when it appears (role="alert"); the seconds tick in a
 * timer that is not read out every second. At zero the host ends the session through its clean-up.
 */
export function TimeLimitNotice() {
  const { t } = useTranslation();
  const timeLimit = useKiosk((s) => s.snapshot?.timeLimit);
  const { extendTime } = useKioskActions();
  const from = timeLimit?.secondsLeft;
  const [seconds, setSeconds] = useState(from ?? 0);

  useEffect(() => {
    if (from === undefined) return;
    setSeconds(from);
    const started = Date.now();
    const timer = setInterval(() => {
      setSeconds(Math.max(0, from - Math.floor((Date.now() - started) / 1000)));
    }, 250);
    return () => clearInterval(timer);
  }, [from, timeLimit]);

  if (from === undefined) return null;
  return (
    <section className="time-limit" data-testid="time-limit" aria-labelledby="time-limit-title">
      <div role="alert" className="time-limit-text">
        <h2 id="time-limit-title">{t('timeLimit.title')}</h2>
        <p>{t('timeLimit.announce', { seconds: from })}</p>
      </div>
      <span className="time-limit-seconds" role="timer" data-testid="time-limit-seconds">
        {t('timeLimit.remaining', { seconds })}
      </span>
      <button
        type="button"
        className="button button--primary"
        data-testid="extend-time"
        onClick={() => void extendTime()}
      >
        {t('timeLimit.extend')}
      </button>
    </section>
  );
}
