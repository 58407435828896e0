import { PNG } from 'pngjs';
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
      addressSince: '2015-04-01',
      addressNotifiedOn: '2015-04-08',
      entry: { reason: '転入', date: '2015-04-08' },
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

/** A foreign residents' household (外国人住民): 国籍・地域, 30条45規定区分, 在留資格, 在留期間. */
export function sampleForeignHousehold(): DocumentOf<'juminhyo'> {
  const base = sampleHousehold(2);
  return {
    ...base,
    documentId: 'T3ST0000DOC00003',
    content: {
      ...base.content,
      address: '東京都千代田区飯田橋四丁目7番1-1104号',
      householdHead: 'グエン　ヴァン　アン',
      members: [
        {
          name: 'グエン　ヴァン　アン',
          nameKana: 'グエン　ヴァン　アン',
          birthDate: '1992-05-17',
          sex: '男',
          relationship: '世帯主',
          residentSince: '2021-04-05',
          addressSince: '2021-04-05',
          addressNotifiedOn: '2021-04-09',
          entry: { reason: '転入', date: '2021-04-09' },
          tsusho: '中村　安',
          foreign: {
            nationality: 'ベトナム',
            category: '中長期在留者',
            residenceStatus: '技術・人文知識・国際業務',
            periodOfStay: '5年',
            stayExpiresOn: '2031-04-05',
          },
        },
        {
          name: 'キム　ミンジュ',
          nameKana: 'キム　ミンジュ',
          birthDate: '1994-02-11',
          sex: '女',
          relationship: '妻',
          residentSince: '2023-10-02',
          addressSince: '2023-10-02',
          addressNotifiedOn: '2023-10-02',
          entry: { reason: '転入', date: '2023-10-02' },
          previousAddress: '大阪府大阪市生野区桃谷三丁目1番2号',
          foreign: { nationality: '韓国', category: '特別永住者' },
        },
      ],
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

/**
 * A fictional round impression (印影) as a red-on-transparent PNG at `ppi` for a seal of `sizeMm`:
 * a double ring and a lattice of strokes, enough detail to see whether it prints sharp.
 */
export function sampleImpression(sizeMm = 15, ppi = 400): { data: string; px: number } {
  const px = Math.ceil((sizeMm / 25.4) * ppi);
  const png = new PNG({ width: px, height: px, colorType: 6 });
  const c = (px - 1) / 2;
  const r = px / 2 - 1;
  for (let y = 0; y < px; y++) {
    for (let x = 0; x < px; x++) {
      const d = Math.hypot(x - c, y - c);
      const u = (x - c) / r;
      const v = (y - c) / r;
      const ring = (d <= r && d >= r * 0.9) || (d <= r * 0.8 && d >= r * 0.77);
      const strokes =
        d < r * 0.72 &&
        ((Math.abs(u) < 0.05 && v < 0.55) ||
          (Math.abs(v + 0.3) < 0.045 && Math.abs(u) < 0.5) ||
          (Math.abs(v - 0.15) < 0.045 && Math.abs(u) < 0.45) ||
          (Math.abs(Math.abs(u) - 0.35) < 0.045 && v > -0.3 && v < 0.55) ||
          (Math.abs(v - 0.55) < 0.045 && Math.abs(u) < 0.4));
      const at = (y * px + x) * 4;
      png.data[at] = 0xc8;
      png.data[at + 1] = 0x1e;
      png.data[at + 2] = 0x1e;
      png.data[at + 3] = ring || strokes ? 255 : 0;
    }
  }
  return { data: PNG.sync.write(png, { colorType: 6 }).toString('base64'), px };
}

const KOSEKI_MEMBERS: KosekiMember[] = [
  {
    name: '山田\u3000太郎',
    birthDate: '1978-04-12',
    sex: '男',
    father: '山田\u3000清',
    mother: '山田\u3000和子',
    relationship: '長男',
    spouseRole: '夫',
    removed: false,
    events: [
      {
        kind: '出生',
        date: '1978-04-12',
        detail: '【出生地】宮崎県都城市',
        notifiedOn: '1978-04-20',
        notifier: '父',
      },
      {
        kind: '婚姻',
        date: '2006-09-03',
        detail: '【配偶者氏名】山田\u3000花子【従前戸籍】宮崎県都城市姫城町3街区1号\u3000山田\u3000清',
      },
    ],
  },
  {
    name: '花子',
    birthDate: '1981-09-03',
    sex: '女',
    father: '佐藤\u3000一郎',
    mother: '佐藤\u3000和子',
    relationship: '長女',
    spouseRole: '妻',
    removed: false,
    events: [
      {
        kind: '出生',
        date: '1981-09-03',
        detail: '【出生地】神奈川県横浜市港北区',
        notifiedOn: '1981-09-10',
        notifier: '父',
      },
      {
        kind: '婚姻',
        date: '2006-09-03',
        detail:
          '【配偶者氏名】山田\u3000太郎【従前戸籍】神奈川県横浜市港北区日吉本町一丁目5番\u3000佐藤\u3000一郎',
      },
    ],
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
      {
        kind: '出生',
        date: '2018-08-12',
        detail: '【出生地】東京都千代田区',
        notifiedOn: '2018-08-17',
        notifier: '父',
      },
      {
        kind: '死亡',
        date: '2019-08-12',
        detail: '【死亡地】東京都千代田区',
        notifiedOn: '2019-08-13',
        notifier: '親族\u3000父',
      },
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
          address: '宮崎県都城市姫城町6街区21号',
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
          address: '宮崎県都城市姫城町6街区21号',
          sealImage: (() => {
            const impression = sampleImpression(15);
            return {
              mediaType: 'image/png' as const,
              widthPx: impression.px,
              heightPx: impression.px,
              sizeMm: 15,
              data: impression.data,
            };
          })(),
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
          deductions: [
            { item: '社会保険料控除', yen: 560_000 },
            { item: '基礎控除', yen: 430_000 },
            { item: '配偶者控除', yen: 330_000 },
            { item: '扶養控除', yen: 330_000 },
          ],
          taxableIncome: 1_110_000,
          dependents: 2,
          family: { spouse: true, general: 1, specific: 0, elderly: 0, under16: 1 },
          collection: '特別徴収',
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
            {
              taxItem: '市県民税（普通徴収）',
              period: '第1期',
              dueDate: '2026-06-30',
              assessedYen: 28_900,
              paidYen: 28_900,
              unpaidYen: 0,
            },
            {
              taxItem: '市県民税（普通徴収）',
              period: '第2期',
              dueDate: '2026-08-31',
              assessedYen: 28_700,
              paidYen: 28_700,
              unpaidYen: 0,
            },
            {
              taxItem: '市県民税（普通徴収）',
              period: '第3期',
              dueDate: '2026-10-31',
              assessedYen: 28_700,
              paidYen: 28_700,
              unpaidYen: 0,
            },
            {
              taxItem: '市県民税（普通徴収）',
              period: '第4期',
              dueDate: '2027-01-31',
              assessedYen: 28_700,
              paidYen: 0,
              unpaidYen: 28_700,
            },
            {
              taxItem: '軽自動車税（種別割）',
              period: '全期',
              dueDate: '2026-05-31',
              assessedYen: 10_800,
              paidYen: 10_800,
              unpaidYen: 0,
            },
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
          sex: '男',
          addresses: [
            { address: '宮崎県都城市姫城町3街区1号', since: '1978-04-12' },
            { address: '東京都千代田区九段南一丁目2番1号', since: '2009-03-28' },
          ],
        };
    }
  })();
  return { ...SAMPLE_FRAME, certificateType: kind, pageCount: pageCountFor(content), content };
}
