import {
  juminhyoPageCount,
  pageCountFor,
  type CertificateContent,
  type CertificateDocument,
  type DocumentOf,
  type JuminhyoMember,
  type KosekiMember,
} from '../protocol/documents.ts';

/**
 * Fictional households for tests, demos and print checks. No real person's data.
 * Names use characters from the MJ set (髙, 𠮷, 葛󠄀 with an ideographic variation sequence).
 */
const FIRST_NAMES: ReadonlyArray<[string, string, '男' | '女', string]> = [
  ['太郎', 'タロウ', '男', '世帯主'],
  ['花子', 'ハナコ', '女', '妻'],
  ['一郎', 'イチロウ', '男', '子'],
  ['桜', 'サクラ', '女', '子'],
  ['次郎', 'ジロウ', '男', '子'],
  ['梅', 'ウメ', '女', '母'],
  ['三郎', 'サブロウ', '男', '子'],
  ['菊', 'キク', '女', '祖母'],
  ['四郎', 'シロウ', '男', '子'],
  ['藤', 'フジ', '女', '子'],
  ['五郎', 'ゴロウ', '男', '子'],
  ['蘭', 'ラン', '女', '子'],
  ['六郎', 'ロクロウ', '男', '子'],
  ['萩', 'ハギ', '女', '子'],
  ['七郎', 'シチロウ', '男', '子'],
  ['椿', 'ツバキ', '女', '子'],
];

export function sampleHousehold(
  memberCount: number,
  family: { name: string; kana: string } = { name: '山田', kana: 'ヤマダ' },
): DocumentOf<'juminhyo'> {
  const members: JuminhyoMember[] = Array.from({ length: memberCount }, (_, i) => {
    const [given, givenKana, sex, relationship] = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const year = 1950 + ((i * 7) % 70);
    const member: JuminhyoMember = {
      name: `${family.name}\u3000${given}`,
      nameKana: `${family.kana}\u3000${givenKana}`,
      birthDate: `${year}-0${(i % 9) + 1}-1${i % 10}`,
      sex,
      relationship,
      residentSince: '2015-04-01',
    };
    if (i === 0) member.previousAddress = '神奈川県横浜市中区日本大通1番地';
    if (i === 1) member.kyuuji = '佐藤';
    return member;
  });
  return {
    documentId: 'T3ST0000DOC00001',
    transactionId: '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10',
    certificateType: 'juminhyo',
    issuedAt: '2026-11-25T10:00:00+09:00',
    municipality: { code: '131016', name: '千代田区', mayorTitle: '千代田区長', mayorName: '試験\u3000太郎' },
    holderSalt: '4'.repeat(32),
    holderBinding: '5'.repeat(64),
    pageCount: juminhyoPageCount(memberCount),
    content: {
      kind: 'juminhyo',
      address: '東京都千代田区九段南一丁目2番1号',
      householdHead: `${family.name}\u3000太郎`,
      members,
    },
  };
}

const SAMPLE_FRAME = {
  documentId: 'T3ST0000DOC00002',
  transactionId: '6f1c2b1e-8a4b-4c1e-9a55-3f1f1d2a9b10',
  issuedAt: '2026-11-25T10:00:00+09:00',
  municipality: { code: '452025', name: '都城市', mayorTitle: '都城市長', mayorName: '試験\u3000次郎' },
  holderSalt: '7'.repeat(32),
  holderBinding: '6'.repeat(64),
} as const;

/** A 16×16 red square PNG (fictional impression) for 印鑑 samples. */
const SAMPLE_SEAL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAL0lEQVR4AaXBAQEAMAiAME4Q+0d5Kw3B9v7MEkgkkUQSSSSRRBJJJJFEEkkkkUQHbF4CIzz5+5IAAAAASUVORK5CYII=';

const KOSEKI_MEMBERS: KosekiMember[] = [
  {
    name: '山田\u3000太郎',
    birthDate: '1978-04-12',
    sex: '男',
    father: '山田\u3000清',
    mother: '山田\u3000和子',
    relationship: '長男',
    removed: false,
    events: [
      { kind: '出生', date: '1978-04-12', detail: '【出生地】宮崎県都城市' },
      { kind: '婚姻', date: '2006-09-03', detail: '【配偶者氏名】山田\u3000花子' },
    ],
  },
  {
    name: '花子',
    birthDate: '1981-09-03',
    sex: '女',
    relationship: '妻',
    removed: false,
    events: [{ kind: '婚姻', date: '2006-09-03', detail: '【従前戸籍】佐藤' }],
  },
  {
    name: '愛',
    birthDate: '2018-08-12',
    sex: '女',
    father: '山田\u3000太郎',
    mother: '山田\u3000花子',
    relationship: '長女',
    removed: true,
    events: [
      { kind: '出生', date: '2018-08-12', detail: '【出生地】東京都千代田区' },
      { kind: '除籍', date: '2019-08-12', detail: '【除籍事由】死亡' },
    ],
  },
];

/** A fictional document of each type other than the 住民票 (see sampleHousehold). */
export function sampleCertificate(
  kind: Exclude<CertificateContent['kind'], 'juminhyo'>,
): CertificateDocument {
  const content = ((): CertificateContent => {
    switch (kind) {
      case 'juminhyo-kisai':
        return {
          kind,
          scope: 'self',
          address: '東京都千代田区九段南一丁目2番1号',
          householdHead: '山田\u3000太郎',
          members: [
            {
              name: '山田\u3000花子',
              nameKana: 'ヤマダ\u3000ハナコ',
              birthDate: '1981-09-03',
              sex: '女',
              residentSince: '2011-06-01',
            },
          ],
        };
      case 'inkan':
        return {
          kind,
          registrationNumber: '482913',
          registeredOn: '2009-04-01',
          name: '山田\u3000太郎',
          nameKana: 'ヤマダ\u3000タロウ',
          birthDate: '1978-04-12',
          sex: '男',
          address: '東京都千代田区九段南一丁目2番1号',
          sealImage: { mediaType: 'image/png', widthPx: 16, heightPx: 16, sizeMm: 15, data: SAMPLE_SEAL_PNG },
        };
      case 'shotoku-kazei':
        return {
          kind,
          fiscalYear: 2026,
          incomeYear: 2025,
          name: '山田\u3000太郎',
          birthDate: '1978-04-12',
          address: '宮崎県都城市姫城町6街区21号',
          taxable: true,
          income: {
            salaryRevenue: 4_000_000,
            salaryIncome: 2_760_000,
            pensionRevenue: 0,
            pensionIncome: 0,
            otherIncome: 0,
            totalIncome: 2_760_000,
          },
          deductionsTotal: 1_650_000,
          taxableIncome: 1_110_000,
          dependents: 2,
          tax: {
            municipalIncomeLevy: 66_600,
            municipalPerCapita: 3000,
            prefecturalIncomeLevy: 44_400,
            prefecturalPerCapita: 1000,
            total: 115_000,
          },
        };
      case 'nozei':
        return {
          kind,
          fiscalYear: 2026,
          name: '山田\u3000太郎',
          address: '宮崎県都城市姫城町6街区21号',
          items: [
            { taxItem: '市県民税（特別徴収）', assessedYen: 115_000, paidYen: 86_200, unpaidYen: 28_800 },
            { taxItem: '軽自動車税（種別割）', assessedYen: 10_800, paidYen: 10_800, unpaidYen: 0 },
          ],
        };
      case 'koseki-zenbu':
        return {
          kind,
          honseki: '宮崎県都城市姫城町3街区1号',
          hittousha: '山田\u3000太郎',
          kosekiEvents: [{ kind: '編製', date: '2006-09-03', detail: '【編製事由】婚姻' }],
          members: KOSEKI_MEMBERS,
        };
      case 'koseki-kojin':
        return {
          kind,
          honseki: '宮崎県都城市姫城町3街区1号',
          hittousha: '山田\u3000太郎',
          kosekiEvents: [{ kind: '編製', date: '2006-09-03', detail: '【編製事由】婚姻' }],
          members: [KOSEKI_MEMBERS[1]!],
        };
      case 'koseki-fuhyo':
        return {
          kind,
          honseki: '宮崎県都城市姫城町3街区1号',
          hittousha: '山田\u3000太郎',
          name: '山田\u3000太郎',
          birthDate: '1978-04-12',
          addresses: [
            { address: '宮崎県都城市姫城町3街区1号', since: '1978-04-12' },
            { address: '東京都千代田区九段南一丁目2番1号', since: '2009-03-28' },
          ],
        };
    }
  })();
  return { ...SAMPLE_FRAME, certificateType: kind, pageCount: pageCountFor(content), content };
}
