import type { CertificateDocument, HouseholdScope } from '../protocol/documents.ts';

/**
 * The fixed wording of the forms: 認証文 per type (and per 住民票 scope), the scope subtitles and
 * the printed 偽造防止 notice. A municipality whose wording differs sends its own text under the
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
    '偽造防止：この証明書は複写すると「複写」の文字が浮き出ます。余白の微小文字は証明書番号です。',
  'notice.back':
    'この用紙の表面には偽造防止のための地紋・微小文字・潜像が印刷されています。複写したもの、二次元コードの署名が検証できないものは証明書として使用できません。',
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
