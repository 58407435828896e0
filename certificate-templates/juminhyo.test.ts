import { describe, expect, it } from 'vitest';
import { createPageSeals } from '../protocol/seal.ts';
import { testSealKey } from '../protocol/test-support/seal-keys.ts';
import type { DocumentOf, HouseholdScope } from '../protocol/documents.ts';
import { STANDARD_FORM_TEXTS } from './form-texts.ts';
import { renderCertificatePdf } from './render.ts';
import { sampleForeignHousehold, sampleHousehold } from './sample-documents.ts';
import { pdfText } from './test-support/poppler.ts';

const sealKey = testSealKey('131016');
const squash = (s: string): string => s.replace(/\s+/gu, '');

async function text(document: DocumentOf<'juminhyo'>): Promise<string> {
  const result = await renderCertificatePdf({
    document,
    seals: await createPageSeals(document, sealKey.signer),
  });
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.error)}`);
  return squash(pdfText(result.pdf));
}

function withScope(scope: HouseholdScope | undefined, memberCount: number): DocumentOf<'juminhyo'> {
  const base = sampleHousehold(memberCount);
  const content = { ...base.content };
  if (scope) content.scope = scope;
  return { ...base, content };
}

describe('住民票の写し: the subtitle and the 認証文 follow the scope', () => {
  const cases: Array<[HouseholdScope | undefined, string, string]> = [
    ['household', '（世帯全員）', STANDARD_FORM_TEXTS['juminhyo.household']],
    [undefined, '（世帯全員）', STANDARD_FORM_TEXTS['juminhyo.household']],
    ['members', '（世帯の一部）', STANDARD_FORM_TEXTS['juminhyo.members']],
    ['self', '（個人）', STANDARD_FORM_TEXTS['juminhyo.self']],
  ];
  for (const [scope, subtitle, statement] of cases) {
    it(`scope ${scope ?? '(absent)'}: ${subtitle}`, async () => {
      const printed = await text(withScope(scope, scope === 'self' ? 1 : 2));
      expect(printed).toContain(subtitle);
      expect(printed).toContain(squash(statement));
      for (const other of ['（世帯全員）', '（世帯の一部）', '（個人）'].filter((s) => s !== subtitle)) {
        expect(printed).not.toContain(other);
      }
      if (scope !== 'household' && scope !== undefined) expect(printed).not.toContain('世帯全員');
    });
  }

  it("uses the municipality's own wording when its data gives one", async () => {
    const base = withScope('self', 1);
    const own = 'この写しは、住民票の原本と相違ないことを証明します。';
    const printed = await text({
      ...base,
      municipality: { ...base.municipality, formTexts: { 'juminhyo.self': own } },
    });
    expect(printed).toContain(squash(own));
    expect(printed).not.toContain(squash(STANDARD_FORM_TEXTS['juminhyo.self']));
  });
});

describe('住民票の写し: what the document holds is printed', () => {
  it('prints 住所を定めた年月日, 届出日 and 記載事由 of every person', async () => {
    const printed = await text(sampleHousehold(2));
    expect(printed).toContain('住所を定めた年月日平成27年4月1日');
    expect(printed).toContain('届出日平成27年4月8日');
    expect(printed).toContain('記載事由平成27年4月8日転入');
  });

  it('prints a 個人番号 the document holds, grouped in fours', async () => {
    const base = sampleHousehold(1);
    const member = { ...base.content.members[0]!, myNumber: '123456789018' };
    const printed = await text({ ...base, content: { ...base.content, members: [member] } });
    expect(printed).toContain('個人番号123456789018');
  });

  it('leaves out 世帯主 and 続柄 together when the document has no 世帯主 (the resident asked so)', async () => {
    const base = sampleHousehold(2);
    const { householdHead: _head, ...content } = base.content;
    const members = content.members.map(({ relationship: _r, ...m }) => m);
    const printed = await text({ ...base, content: { ...content, members } });
    expect(printed).not.toContain('世帯主');
    expect(printed).not.toContain('続柄');
    expect(printed).toContain('山田花子');
    const withHead = await text(sampleHousehold(2));
    expect(withHead).toContain('世帯主山田太郎');
    expect(withHead).toContain('続柄妻');
  });

  it('prints a foreign resident’s 国籍・地域, 30条45規定区分, 在留資格 and 在留期間', async () => {
    const printed = await text(sampleForeignHousehold());
    expect(printed).toContain('国籍・地域ベトナム');
    expect(printed).toContain('30条45規定区分中長期在留者');
    expect(printed).toContain('在留資格技術・人文知識・国際業務');
    expect(printed).toContain('在留期間等5年（満了日令和13年4月5日）');
    expect(printed).toContain('30条45規定区分特別永住者');
    expect(printed).toContain('通称中村安');
  });

  it('prints 以下余白 after the last person, also on a full page', async () => {
    const printed = await text(sampleHousehold(4));
    expect(printed).toContain('以下余白');
    expect(printed.indexOf('以下余白')).toBeGreaterThan(printed.indexOf('山田桜'));
  });
});
