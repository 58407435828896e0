import type { CertificateDocument, HouseholdScope } from '../protocol/documents.ts';

/**
 * The fixed wording of the forms: 認証文 per type (and per 住民票 scope), the scope subtitles and
 * the printed 偽造防止 notice of the front (the back side's wording is fixed: back-side.ts). A municipality whose wording differs sends its own text under the
 * same key in `municipality.formTexts` (data in the signed document, not code); the standard
 * wording below applies otherwise.
 */
export const STANDARD_FORM_TEXTS = {
  'juminhyo.household': 'この写しは、世帯全員の住民票の原本と相違ないことを証明する。',
  'juminhyo.members': 'この写しは、世帯の一部の住民票の原本と相違ないことを証明する。',
  'juminhyo.self': 'この写しは、世帯の一部（個人）の住民票の原本と相違ないことを証明する。',
  'subtitle.household': '（世帯全員）',
  'subtitle.members': '（世帯の一部）',
  'subtitle.self': '（個人）',
  'juminhyo-kisai': '上記のとおり住民票に記載されていることを証明する。',
  inkan: 'この写しは、登録されている印影と相違ないことを証明する。',
  'shotoku-kazei': '上記のとおり相違ないことを証明する。',
  nozei: '上記のとおり相違ないことを証明する。',
  'koseki-zenbu': 'これは、戸籍に記録されている事項の全部を証明した書面である。',
  'koseki-kojin': 'これは、戸籍中の一部の者について記録されている事項の全部を証明した書面である。',
  'koseki-fuhyo': 'この写しは、戸籍の附票の原本と相違ないことを証明する。',
  'notice.front':
    '偽造防止：この用紙を複写すると地紋に「複写」、右上の潜像に「無効」の文字が現れます。上下の細い線は証明書番号の微小文字です。二次元コードで発行元の署名と記載事項を確かめられます。',
} as const;

export type FormTextKey = keyof typeof STANDARD_FORM_TEXTS;

/** The municipality's wording for `key`, else the standard one. */
export function formText(document: Pick<CertificateDocument, 'municipality'>, key: FormTextKey): string {
  return document.municipality.formTexts?.[key] ?? STANDARD_FORM_TEXTS[key];
}

/** The 住民票's scope as printed: absent in documents before contract 0.2 means the whole household. */
export function scopeOf(scope: HouseholdScope | undefined): HouseholdScope {
  return scope ?? 'household';
}
