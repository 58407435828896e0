import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ConfirmOptionsView } from '../../../electron/kiosk-api.ts';
import { Spinner } from '../components/Spinner.tsx';
import { useKioskActions } from '../kioskContext.tsx';

/** 年度 as the municipality writes it: 令和7年度（2025年度） / FY 2025 (Reiwa 7). */
export function fiscalYearLabel(t: TFunction, year: number): string {
  const era =
    year >= 2019
      ? t('confirm.eraReiwa', { n: year === 2019 ? t('confirm.eraFirstYear') : year - 2018 })
      : t('confirm.eraHeisei', { n: year === 1989 ? t('confirm.eraFirstYear') : year - 1988 });
  return t('confirm.fiscalYear', { era, year });
}

/** One labelled row of big toggle buttons; exactly one is pressed. */
function ChoiceRow({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="option-row" role="group" aria-label={label} data-testid={testId}>
      <span className="option-label">{label}</span>
      <div className="option-buttons">{children}</div>
    </div>
  );
}

function Toggle({
  pressed,
  testId,
  onPress,
  children,
}: {
  pressed: boolean;
  testId: string;
  onPress: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="button button--toggle button--option"
      aria-pressed={pressed}
      data-testid={testId}
      onClick={onPress}
    >
      {children}
    </button>
  );
}

/** Include / leave out, for 本籍・筆頭者 and 続柄. */
function IncludeRow({
  label,
  name,
  included,
  onChange,
}: {
  label: string;
  name: string;
  included: boolean;
  onChange: (include: boolean) => void;
}) {
  const { t } = useTranslation();
  return (
    <ChoiceRow label={label} testId={`option-${name}`}>
      <Toggle pressed={included} testId={`${name}-include`} onPress={() => onChange(true)}>
        {t('confirm.include')}
      </Toggle>
      <Toggle pressed={!included} testId={`${name}-omit`} onPress={() => onChange(false)}>
        {t('confirm.omit')}
      </Toggle>
    </ChoiceRow>
  );
}

/**
 * The choices the municipality allows for this certificate. Each tap is one intent; the pressed
 * state comes from the host's next snapshot. 個人番号 is never offered here.
 */
export function CertificateOptions({ options }: { options: ConfirmOptionsView }) {
  const { t } = useTranslation();
  const { setScope, toggleMember, setHonseki, setRelationship, setTaxYear } = useKioskActions();
  const members = options.members;
  const membersStatus = options.membersStatus;
  return (
    <section className="options" aria-labelledby="options-heading">
      <h2 id="options-heading" className="visually-hidden">
        {t('confirm.options')}
      </h2>
      {options.scope && (
        <ChoiceRow label={t('confirm.scope')} testId="option-scope">
          {options.scope.allowed.map((scope) => (
            <Toggle
              key={scope}
              pressed={options.scope?.chosen === scope}
              testId={`scope-${scope}`}
              onPress={() => void setScope(scope)}
            >
              {t(`confirm.scopes.${scope}`)}
            </Toggle>
          ))}
        </ChoiceRow>
      )}
      {membersStatus === 'loading' && (
        <div className="option-members" role="status" data-testid="members-loading">
          <Spinner />
          <p className="option-hint">{t('confirm.membersLoading')}</p>
        </div>
      )}
      {membersStatus === 'failed' && (
        <div className="option-members" data-testid="members-failed">
          <p className="option-problem" role="alert">
            {t('confirm.membersFailed')}
          </p>
          <button
            type="button"
            className="button button--option"
            data-testid="members-retry"
            onClick={() => void setScope('members')}
          >
            {t('confirm.membersRetry')}
          </button>
        </div>
      )}
      {members && (
        <div className="option-members" role="group" aria-label={t('confirm.members')}>
          <span className="option-hint">{t('confirm.members')}</span>
          <ul className="member-list">
            {members.map((member) => (
              <li key={member.order}>
                <button
                  type="button"
                  role="checkbox"
                  aria-checked={member.chosen}
                  className={member.chosen ? 'member member--chosen' : 'member'}
                  data-testid={`member-${member.order}`}
                  onClick={() => void toggleMember(member.order)}
                >
                  <span className="member-box" aria-hidden="true" />
                  <span className="member-name">{member.name}</span>
                </button>
              </li>
            ))}
          </ul>
          {!members.some((m) => m.chosen) && (
            <p className="option-problem" role="alert" data-testid="members-needed">
              {t('confirm.membersNeeded')}
            </p>
          )}
        </div>
      )}
      {options.relationship !== undefined && (
        <IncludeRow
          label={t('confirm.relationship')}
          name="relationship"
          included={options.relationship}
          onChange={(include) => void setRelationship(include)}
        />
      )}
      {options.honseki !== undefined && (
        <IncludeRow
          label={t('confirm.honseki')}
          name="honseki"
          included={options.honseki}
          onChange={(include) => void setHonseki(include)}
        />
      )}
      {options.taxYear && (
        <ChoiceRow label={t('confirm.taxYear')} testId="option-tax-year">
          {options.taxYear.allowed.map((year) => (
            <Toggle
              key={year}
              pressed={options.taxYear?.chosen === year}
              testId={`tax-year-${year}`}
              onPress={() => void setTaxYear(year)}
            >
              {fiscalYearLabel(t, year)}
            </Toggle>
          ))}
        </ChoiceRow>
      )}
    </section>
  );
}
