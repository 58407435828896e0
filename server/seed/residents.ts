import type { SeedHousehold, SeedResident } from './types.ts';

const CHIYODA = '131016';
const KAGA = '172065';
const MIYAKONOJO = '452025';

export const SEED_HOUSEHOLDS: readonly SeedHousehold[] = [
  { householdId: 'HH001', municipalityCode: CHIYODA, address: '東京都千代田区九段南二丁目3番14号' },
  { householdId: 'HH002', municipalityCode: CHIYODA, address: '東京都千代田区神田小川町一丁目8番3-502号' },
  { householdId: 'HH003', municipalityCode: CHIYODA, address: '東京都千代田区飯田橋四丁目7番1-1104号' },
  { householdId: 'HH004', municipalityCode: KAGA, address: '石川県加賀市大聖寺南町ニ41番地' },
  { householdId: 'HH005', municipalityCode: KAGA, address: '石川県加賀市山代温泉18番地59' },
  { householdId: 'HH006', municipalityCode: KAGA, address: '石川県加賀市作見町ル25番地1' },
  { householdId: 'HH007', municipalityCode: MIYAKONOJO, address: '宮崎県都城市姫城町6街区21号' },
  { householdId: 'HH008', municipalityCode: MIYAKONOJO, address: '宮崎県都城市上町13街区7号' },
];

type ResidentInput = Omit<
  SeedResident,
  'municipalityCode' | 'status' | 'dvBlock' | 'inkanRegistered' | 'card'
> &
  Partial<Pick<SeedResident, 'status' | 'dvBlock' | 'inkanRegistered'>> & {
    card: Partial<SeedResident['card']> & Pick<SeedResident['card'], 'authPin' | 'signingPin'>;
  };

function resident(input: ResidentInput): SeedResident {
  const household = SEED_HOUSEHOLDS.find((h) => h.householdId === input.householdId);
  if (!household) throw new Error(`seed: unknown household ${input.householdId}`);
  return {
    municipalityCode: household.municipalityCode,
    status: 'resident',
    dvBlock: false,
    inkanRegistered: true,
    ...input,
    card: { condition: 'valid', hasSigningCertificate: true, ...input.card },
  };
}

const YAMADA_HONSEKI = {
  municipalityCode: MIYAKONOJO,
  address: '宮崎県都城市姫城町3街区1号',
  hittousha: '山田 太郎',
  kioskRegistration: true,
};

/**
 * Twelve demo residents. Hard cases: household of five (with 旧氏 and a child under 15),
 * a foreign resident with 通称, an expired card, a revoked card, a DV-blocked resident,
 * a moved-out one and a deceased one. PINs are demo values printed by `npm run card -- --list`.
 */
export const SEED_RESIDENTS: readonly SeedResident[] = [
  // 千代田区, household of five; 本籍 in 都城市 (住≠本, registered for the kiosk).
  resident({
    holderId: 'H0001',
    householdId: 'HH001',
    householdOrder: 1,
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    birthDate: '1978-04-12',
    sex: '男',
    relationship: '世帯主',
    residentSince: '2009-03-28',
    previousAddress: '宮崎県都城市姫城町3街区1号',
    honseki: YAMADA_HONSEKI,
    card: { authPin: '1234', signingPin: 'YAMADA2026' },
  }),
  resident({
    holderId: 'H0002',
    householdId: 'HH001',
    householdOrder: 2,
    name: '山田 花子',
    nameKana: 'ヤマダ ハナコ',
    birthDate: '1981-09-03',
    sex: '女',
    relationship: '妻',
    residentSince: '2011-06-01',
    previousAddress: '神奈川県横浜市港北区日吉本町一丁目5番2号',
    kyuuji: '佐藤',
    honseki: YAMADA_HONSEKI,
    card: { authPin: '2345', signingPin: 'HANAKO81' },
  }),
  resident({
    holderId: 'H0003',
    householdId: 'HH001',
    householdOrder: 3,
    name: '山田 一郎',
    nameKana: 'ヤマダ イチロウ',
    birthDate: '2008-01-20',
    sex: '男',
    relationship: '子',
    residentSince: '2009-03-28',
    inkanRegistered: false,
    honseki: YAMADA_HONSEKI,
    card: { authPin: '3456', signingPin: 'ICHIRO08' },
  }),
  resident({
    holderId: 'H0004',
    householdId: 'HH001',
    householdOrder: 4,
    name: '山田 美咲',
    nameKana: 'ヤマダ ミサキ',
    birthDate: '2016-08-12',
    sex: '女',
    relationship: '子',
    residentSince: '2016-08-12',
    inkanRegistered: false,
    honseki: YAMADA_HONSEKI,
    card: { authPin: '4567', signingPin: 'MISAKI16', hasSigningCertificate: false },
  }),
  resident({
    holderId: 'H0005',
    householdId: 'HH001',
    householdOrder: 5,
    name: '山田 キヨ',
    nameKana: 'ヤマダ キヨ',
    birthDate: '1947-02-27',
    sex: '女',
    relationship: '母',
    residentSince: '2019-10-15',
    previousAddress: '宮崎県都城市上町13街区7号',
    honseki: YAMADA_HONSEKI,
    card: { authPin: '5678', signingPin: 'KIYO1947' },
  }),
  // 千代田区, single household, card expired; name with an 異体字 (髙).
  resident({
    holderId: 'H0006',
    householdId: 'HH002',
    householdOrder: 1,
    name: '髙橋 健一',
    nameKana: 'タカハシ ケンイチ',
    birthDate: '1965-11-30',
    sex: '男',
    relationship: '世帯主',
    residentSince: '1998-04-01',
    honseki: {
      municipalityCode: CHIYODA,
      address: '東京都千代田区神田小川町一丁目8番地',
      hittousha: '髙橋 健一',
      kioskRegistration: false,
    },
    card: { authPin: '6789', signingPin: 'TAKAHASHI65', condition: 'expired' },
  }),
  // 千代田区, foreign resident with 通称; no 戸籍.
  resident({
    holderId: 'H0007',
    householdId: 'HH003',
    householdOrder: 1,
    name: 'グエン ヴァン アン',
    nameKana: 'グエン ヴァン アン',
    birthDate: '1992-05-17',
    sex: '男',
    relationship: '世帯主',
    residentSince: '2021-04-05',
    tsusho: '中村 安',
    nationality: 'ベトナム',
    inkanRegistered: false,
    card: { authPin: '7890', signingPin: 'NGUYEN92' },
  }),
  // 加賀市, DV-blocked (支援措置).
  resident({
    holderId: 'H0008',
    householdId: 'HH004',
    householdOrder: 1,
    name: '渡邉 幸子',
    nameKana: 'ワタナベ サチコ',
    birthDate: '1986-12-08',
    sex: '女',
    relationship: '世帯主',
    residentSince: '2024-02-19',
    previousAddress: '大阪府大阪市北区梅田一丁目1番3号',
    dvBlock: true,
    card: { authPin: '8901', signingPin: 'SACHIKO86' },
  }),
  // 加賀市, moved out (転出).
  resident({
    holderId: 'H0009',
    householdId: 'HH005',
    householdOrder: 1,
    name: '中村 修',
    nameKana: 'ナカムラ オサム',
    birthDate: '1973-07-01',
    sex: '男',
    relationship: '世帯主',
    residentSince: '2003-10-10',
    status: 'moved-out',
    card: { authPin: '9012', signingPin: 'OSAMU73' },
  }),
  // 加賀市, deceased.
  resident({
    holderId: 'H0010',
    householdId: 'HH006',
    householdOrder: 1,
    name: '小林 正',
    nameKana: 'コバヤシ タダシ',
    birthDate: '1938-03-15',
    sex: '男',
    relationship: '世帯主',
    residentSince: '1965-05-20',
    status: 'deceased',
    card: { authPin: '0123', signingPin: 'TADASHI38' },
  }),
  // 都城市, card revoked.
  resident({
    holderId: 'H0011',
    householdId: 'HH007',
    householdOrder: 1,
    name: '伊藤 直樹',
    nameKana: 'イトウ ナオキ',
    birthDate: '1990-10-22',
    sex: '男',
    relationship: '世帯主',
    residentSince: '2015-04-01',
    honseki: {
      municipalityCode: MIYAKONOJO,
      address: '宮崎県都城市姫城町6街区21号',
      hittousha: '伊藤 直樹',
      kioskRegistration: false,
    },
    card: { authPin: '1357', signingPin: 'NAOKI90', condition: 'revoked' },
  }),
  // 都城市, ordinary resident with 本籍 here.
  resident({
    holderId: 'H0012',
    householdId: 'HH008',
    householdOrder: 1,
    name: '吉田 恵子',
    nameKana: 'ヨシダ ケイコ',
    birthDate: '1969-06-09',
    sex: '女',
    relationship: '世帯主',
    residentSince: '1994-08-08',
    honseki: {
      municipalityCode: MIYAKONOJO,
      address: '宮崎県都城市上町13街区7号',
      hittousha: '吉田 恵子',
      kioskRegistration: false,
    },
    card: { authPin: '2468', signingPin: 'KEIKO69' },
  }),
];
