import type { MunicipalityConfig } from './types.ts';

const DAILY: MunicipalityConfig['serviceHours'] = { opens: '06:30', closes: '23:00' };
const NEW_YEAR_CLOSURE = ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03'];
const KOSEKI_HOURS = { opens: '09:00', closes: '17:00', weekdaysOnly: true } as const;

/**
 * Three demo municipalities. Codes are real 全国地方公共団体コード (check digit included);
 * mayors are invented names.
 */
export const SEED_MUNICIPALITIES: readonly MunicipalityConfig[] = [
  {
    // Offers every certificate type; refuses residents under 15.
    code: '131016',
    prefecture: '東京都',
    name: '千代田区',
    mayorTitle: '千代田区長',
    mayorName: '杉浦 俊介',
    participating: true,
    minimumAge: 15,
    serviceHours: DAILY,
    closedDays: NEW_YEAR_CLOSURE,
    offerings: {
      juminhyo: { feeYen: 200, maxCopies: 10 },
      'juminhyo-kisai': { feeYen: 200, maxCopies: 5 },
      inkan: { feeYen: 200, maxCopies: 10 },
      'shotoku-kazei': { feeYen: 300, maxCopies: 5 },
      nozei: { feeYen: 300, maxCopies: 5 },
      'koseki-zenbu': { feeYen: 450, maxCopies: 5, hours: KOSEKI_HOURS, forNonResidents: true },
      'koseki-kojin': { feeYen: 450, maxCopies: 5, hours: KOSEKI_HOURS, forNonResidents: true },
      'koseki-fuhyo': { feeYen: 300, maxCopies: 5, hours: KOSEKI_HOURS, forNonResidents: true },
    },
  },
  {
    // Only 住民票 and 印鑑登録証明書.
    code: '172065',
    prefecture: '石川県',
    name: '加賀市',
    mayorTitle: '加賀市長',
    mayorName: '北村 和彦',
    participating: true,
    serviceHours: DAILY,
    closedDays: NEW_YEAR_CLOSURE,
    offerings: {
      juminhyo: { feeYen: 250, maxCopies: 5 },
      inkan: { feeYen: 250, maxCopies: 5 },
    },
  },
  {
    // Serves its own residents and residents elsewhere whose 本籍 is here (住≠本); prints
    // 本籍・筆頭者 on the 住民票 when the resident asks.
    code: '452025',
    prefecture: '宮崎県',
    name: '都城市',
    mayorTitle: '都城市長',
    mayorName: '東 雅人',
    participating: true,
    serviceHours: DAILY,
    closedDays: NEW_YEAR_CLOSURE,
    offerings: {
      juminhyo: { feeYen: 300, maxCopies: 5 },
      inkan: { feeYen: 300, maxCopies: 5 },
      'shotoku-kazei': { feeYen: 300, maxCopies: 3 },
      'koseki-zenbu': { feeYen: 450, maxCopies: 3, hours: KOSEKI_HOURS, forNonResidents: true },
      'koseki-kojin': { feeYen: 450, maxCopies: 3, hours: KOSEKI_HOURS, forNonResidents: true },
      'koseki-fuhyo': { feeYen: 300, maxCopies: 3, hours: KOSEKI_HOURS, forNonResidents: true },
    },
    options: { honseki: true },
  },
];

/** JIS X 0401 check digit of a 5-digit municipality code. */
export function municipalityCheckDigit(fiveDigits: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = [...fiveDigits].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidMunicipalityCode(code: string): boolean {
  return /^\d{6}$/.test(code) && municipalityCheckDigit(code.slice(0, 5)) === Number(code[5]);
}
