import {
  CERTIFICATE_TITLES_JA,
  CERTIFICATE_TYPES,
  type CertificateType,
} from '../../protocol/certificate-types.ts';
import type { MunicipalRules } from '../municipal/rules.ts';
import { KOSEKI_TYPES, TAX_TYPES } from '../municipal/rules.ts';
import { html, type Html } from './html.ts';

/**
 * The rules editor: the form a clerk fills in, and the rules object it makes. What the form does
 * not edit (names, mayor, maintenance windows, per-type minimum ages, notice periods) is carried
 * over from the rules in force. The result is validated by the rules schema, never here.
 */
export type FormBody = Record<string, string | string[] | undefined>;

const JUMINHYO_TYPES: readonly CertificateType[] = ['juminhyo', 'juminhyo-kisai'];
const SCOPES = [
  ['household', '世帯全員'],
  ['self', '本人のみ'],
  ['members', '世帯の一部'],
] as const;
export const NOTICE_ROWS = 3;

const text = (body: FormBody, name: string): string => {
  const v = body[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const checked = (body: FormBody, name: string) => text(body, name) !== '';
const list = (body: FormBody, name: string): string[] => {
  const v = body[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
/** A number field: empty is absent; anything else stays as typed so the schema can refuse it. */
const numberOrText = (value: string): number | string | undefined =>
  value === '' ? undefined : /^-?\d+$/.test(value) ? Number(value) : value;

export function rulesFromForm(current: MunicipalRules, body: FormBody): unknown {
  const offerings: Record<string, unknown> = {};
  for (const type of CERTIFICATE_TYPES) {
    if (!checked(body, `offered-${type}`)) continue;
    const existing = current.offerings[type];
    const opens = text(body, `opens-${type}`);
    const closes = text(body, `closes-${type}`);
    offerings[type] = {
      feeYen: numberOrText(text(body, `fee-${type}`)),
      maxCopies: numberOrText(text(body, `maxCopies-${type}`)),
      ...(opens || closes
        ? { hours: { opens, closes, ...(existing?.hours?.weekdaysOnly ? { weekdaysOnly: true } : {}) } }
        : {}),
      ...(KOSEKI_TYPES.includes(type) && checked(body, `forNonResidents-${type}`)
        ? { forNonResidents: true }
        : {}),
      ...(existing?.minimumAge === undefined ? {} : { minimumAge: existing.minimumAge }),
    };
  }
  const offersJuminhyo = JUMINHYO_TYPES.some((t) => offerings[t]);
  const offersTax = TAX_TYPES.some((t) => offerings[t]);
  const scopes = list(body, 'juminhyoScopes');
  const taxYearsBack = numberOrText(text(body, 'taxYearsBack'));
  const options = {
    ...(offersJuminhyo && scopes.length > 0 ? { juminhyoScopes: scopes } : {}),
    ...(offersJuminhyo ? { honseki: checked(body, 'honseki') } : {}),
    relationship: checked(body, 'relationship'),
    ...(offerings.juminhyo ? { myNumber: checked(body, 'myNumber') } : {}),
    ...(offersTax && taxYearsBack !== undefined ? { taxYearsBack } : {}),
  };
  const notices = Array.from({ length: NOTICE_ROWS }, (_, i) => {
    const id = text(body, `notice-id-${i}`);
    const ja = text(body, `notice-ja-${i}`);
    const en = text(body, `notice-en-${i}`);
    if (!id && !ja && !en) return undefined;
    const existing = current.notices?.find((n) => n.id === id);
    return {
      id,
      ja,
      ...(en ? { en } : {}),
      ...(existing?.from ? { from: existing.from } : {}),
      ...(existing?.until ? { until: existing.until } : {}),
    };
  }).filter((n) => n !== undefined);
  const minimumAge = numberOrText(text(body, 'minimumAge'));
  const copyLimit = numberOrText(text(body, 'copyLimit'));
  return {
    code: current.code,
    prefecture: current.prefecture,
    name: current.name,
    mayorTitle: current.mayorTitle,
    mayorName: current.mayorName,
    participating: checked(body, 'participating'),
    ...(minimumAge === undefined ? {} : { minimumAge }),
    serviceHours: {
      opens: text(body, 'serviceOpens'),
      closes: text(body, 'serviceCloses'),
      ...(checked(body, 'serviceWeekdaysOnly') ? { weekdaysOnly: true } : {}),
    },
    closedDays: text(body, 'closedDays')
      .split(/[\s,、]+/)
      .filter((d) => d !== ''),
    ...(current.maintenance ? { maintenance: current.maintenance } : {}),
    ...(copyLimit === undefined ? {} : { copyLimit }),
    offerings,
    options,
    ...(notices.length > 0 ? { notices } : {}),
  };
}

const field = (label: string, name: string, value: string | number | undefined, extra: Html = html``) =>
  html`<label>${label} <input name="${name}" value="${value ?? ''}" ${extra} /></label>`;
const box = (label: string, name: string, on: boolean | undefined, value = 'on') =>
  html`<label
    ><input type="checkbox" name="${name}" value="${value}" ${on ? html`checked` : ''} /> ${label}</label
  >`;

/** The editor's fields, filled from the rules in force. */
export function rulesFormFields(rules: MunicipalRules): Html {
  const rows = CERTIFICATE_TYPES.map((type) => {
    const o = rules.offerings[type];
    const title = CERTIFICATE_TITLES_JA[type];
    return html`<fieldset class="offering">
      <legend>${title}</legend>
      ${box(`${title}を交付する`, `offered-${type}`, o !== undefined)}
      ${field(`${title}の手数料（円）`, `fee-${type}`, o?.feeYen ?? 300, html`inputmode="numeric"`)}
      ${field(`${title}の最大部数`, `maxCopies-${type}`, o?.maxCopies ?? 5, html`inputmode="numeric"`)}
      ${field(`${title}の開始時刻`, `opens-${type}`, o?.hours?.opens, html`placeholder="HH:MM"`)}
      ${field(`${title}の終了時刻`, `closes-${type}`, o?.hours?.closes, html`placeholder="HH:MM"`)}
      ${KOSEKI_TYPES.includes(type) ? box(`${title}を本籍地のみの方にも交付する`, `forNonResidents-${type}`, o?.forNonResidents) : ''}
    </fieldset>`;
  });
  const options = rules.options ?? {};
  const scopes = options.juminhyoScopes ?? ['household', 'self', 'members'];
  const notices = Array.from({ length: NOTICE_ROWS }, (_, i) => {
    const n = rules.notices?.[i];
    return html`<fieldset class="notice">
      <legend>お知らせ ${i + 1}</legend>
      ${field(`お知らせ ${i + 1} の識別子`, `notice-id-${i}`, n?.id)}
      <label
        >お知らせ ${i + 1}（日本語） <textarea name="notice-ja-${i}" rows="2">${n?.ja ?? ''}</textarea>
      </label>
      <label
        >お知らせ ${i + 1}（英語） <textarea name="notice-en-${i}" rows="2">${n?.en ?? ''}</textarea>
      </label>
    </fieldset>`;
  });
  return html` <fieldset>
      <legend>サービス</legend>
      ${box('コンビニ交付に参加する', 'participating', rules.participating)}
      ${field('サービス開始時刻', 'serviceOpens', rules.serviceHours.opens, html`placeholder="HH:MM"`)}
      ${field('サービス終了時刻', 'serviceCloses', rules.serviceHours.closes, html`placeholder="HH:MM"`)}
      ${box('平日のみ', 'serviceWeekdaysOnly', rules.serviceHours.weekdaysOnly)}
      <label
        >休止日（MM-DD、空白区切り）
        <textarea name="closedDays" rows="2">${rules.closedDays.join(' ')}</textarea>
      </label>
      ${field('最低年齢', 'minimumAge', rules.minimumAge, html`inputmode="numeric"`)}
      ${field('1回の最大部数', 'copyLimit', rules.copyLimit, html`inputmode="numeric"`)}
    </fieldset>
    ${rows}
    <fieldset>
      <legend>選択できる項目</legend>
      ${SCOPES.map(([scope, label]) => box(`住民票の範囲: ${label}`, 'juminhyoScopes', scopes.includes(scope), scope))}
      ${box('本籍・筆頭者の記載', 'honseki', options.honseki)}
      ${box('続柄の記載', 'relationship', options.relationship ?? true)}
      ${box('個人番号の記載', 'myNumber', options.myNumber)}
      ${field('税証明の年度数', 'taxYearsBack', options.taxYearsBack, html`inputmode="numeric"`)}
    </fieldset>
    ${notices}`;
}
