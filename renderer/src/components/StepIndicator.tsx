import { useTranslation } from 'react-i18next';

export const STEPS = ['card', 'pin', 'choose', 'confirm', 'pay', 'print'] as const;
export type Step = (typeof STEPS)[number];

/** The flow at a glance: which steps are behind, which one is now. */
export function StepIndicator({ current }: { current: Step }) {
  const { t } = useTranslation();
  const currentIndex = STEPS.indexOf(current);
  return (
    <ol className="steps" aria-label={t('steps.label')}>
      {STEPS.map((step, index) => {
        const state = index < currentIndex ? 'past' : index === currentIndex ? 'current' : 'future';
        return (
          <li
            key={step}
            className={`step step--${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {index + 1}
            </span>
            <span className="step-label">{t(`steps.${step}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
