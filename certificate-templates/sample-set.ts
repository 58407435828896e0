import { createHash } from 'node:crypto';
import type { CertificateDocument } from '../protocol/documents.ts';
import { createPageSeals } from '../protocol/seal.ts';
import type { SealSigner } from '../protocol/seal-signer.ts';
import { sampleCertificate, sampleForeignHousehold, sampleHousehold } from './sample-documents.ts';

/**
 * Every certificate type and its main options, as fictional documents: the set `npm run samples`
 * prints (README pictures) and the visual regression test compares with reviewed snapshots.
 */
export interface SampleEntry {
  /** File name stem: `juminhyo-self` → juminhyo-self.pdf, juminhyo-self-p1.png. */
  id: string;
  what: string;
  document: CertificateDocument;
}

function juminhyoVariant(
  id: string,
  what: string,
  memberCount: number,
  change: (d: ReturnType<typeof sampleHousehold>) => void,
): SampleEntry {
  const document = sampleHousehold(memberCount);
  change(document);
  return { id, what, document };
}

export function sampleSet(): SampleEntry[] {
  return [
    juminhyoVariant('juminhyo-household', '住民票の写し（世帯全員、4人）', 4, (d) => {
      d.content.scope = 'household';
    }),
    juminhyoVariant('juminhyo-two-pages', '住民票の写し（世帯全員、6人、2ページ）', 6, (d) => {
      d.content.scope = 'household';
    }),
    juminhyoVariant('juminhyo-self', '住民票の写し（個人、本籍・筆頭者あり）', 1, (d) => {
      d.content.scope = 'self';
      d.content.honseki = '宮崎県都城市姫城町3街区1号';
      d.content.hittousha = '山田\u3000太郎';
    }),
    juminhyoVariant('juminhyo-members', '住民票の写し（世帯の一部、世帯主・続柄あり）', 2, (d) => {
      d.content.scope = 'members';
    }),
    juminhyoVariant(
      'juminhyo-members-no-relationship',
      '住民票の写し（世帯の一部、世帯主・続柄なし）',
      2,
      (d) => {
        d.content.scope = 'members';
        delete d.content.householdHead;
        for (const m of d.content.members) delete m.relationship;
      },
    ),
    juminhyoVariant('juminhyo-my-number', '住民票の写し（個人、個人番号あり）', 1, (d) => {
      d.content.scope = 'self';
      d.content.members[0]!.myNumber = '123456789018';
    }),
    { id: 'juminhyo-foreign', what: '住民票の写し（外国人住民）', document: sampleForeignHousehold() },
    { id: 'juminhyo-kisai', what: '住民票記載事項証明書', document: sampleCertificate('juminhyo-kisai') },
    { id: 'inkan', what: '印鑑登録証明書', document: sampleCertificate('inkan') },
    { id: 'shotoku-kazei', what: '所得・課税証明書', document: sampleCertificate('shotoku-kazei') },
    { id: 'nozei', what: '納税証明書', document: sampleCertificate('nozei') },
    { id: 'koseki-zenbu', what: '戸籍全部事項証明書', document: sampleCertificate('koseki-zenbu') },
    { id: 'koseki-kojin', what: '戸籍個人事項証明書', document: sampleCertificate('koseki-kojin') },
    { id: 'koseki-fuhyo', what: '戸籍の附票の写し', document: sampleCertificate('koseki-fuhyo') },
  ];
}

/** When the samples are printed (the PDF's creation date): fixed, so every run prints the same paper. */
export const SAMPLE_PRINTED_AT = new Date('2026-11-25T01:00:00Z');

/**
 * A stand-in for the municipal signer: the "signature" is SHA-512 of the bytes to be signed (64
 * bytes, the size of an ES256 signature), so each page's seal has the real payload (document id,
 * page i of n, that page's facts) and the real size, is the same on every run, and verifies under
 * no key. The samples show the QR's content, place and size; they are not genuine papers.
 */
export const SAMPLE_SIGNER: SealSigner = {
  kid: '5a4d504c45000001',
  sign: (bytes) => Promise.resolve(new Uint8Array(createHash('sha512').update(bytes).digest())),
};

/** The page seals of a sample document: one per page, deterministic (SAMPLE_SIGNER). */
export function sampleSeals(document: CertificateDocument): Promise<Uint8Array[]> {
  return createPageSeals(document, SAMPLE_SIGNER);
}
