import { juminhyoPageCount, type CertificateDocument, type JuminhyoMember } from '../protocol/documents.ts';

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
): CertificateDocument {
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
