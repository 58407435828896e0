import { z } from 'zod';

/** Certificate type ids used across the project (kiosk, centre, templates, CLIs). */
export const CERTIFICATE_TYPES = [
  'juminhyo', // 住民票の写し
  'juminhyo-kisai', // 住民票記載事項証明書
  'inkan', // 印鑑登録証明書
  'shotoku-kazei', // 所得・課税証明書
  'nozei', // 納税証明書
  'koseki-zenbu', // 戸籍全部事項証明書
  'koseki-kojin', // 戸籍個人事項証明書
  'koseki-fuhyo', // 戸籍の附票の写し
] as const;

export const CertificateTypeSchema = z.enum(CERTIFICATE_TYPES);
export type CertificateType = z.infer<typeof CertificateTypeSchema>;

/** Official Japanese names, as printed and as shown on the menu. */
export const CERTIFICATE_TITLES_JA: Readonly<Record<CertificateType, string>> = {
  juminhyo: '住民票の写し',
  'juminhyo-kisai': '住民票記載事項証明書',
  inkan: '印鑑登録証明書',
  'shotoku-kazei': '所得・課税証明書',
  nozei: '納税証明書',
  'koseki-zenbu': '戸籍全部事項証明書',
  'koseki-kojin': '戸籍個人事項証明書',
  'koseki-fuhyo': '戸籍の附票の写し',
};
