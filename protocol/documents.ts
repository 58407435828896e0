import { z } from 'zod';
import { CertificateTypeSchema } from './certificate-types.ts';
import { schemaAcceptor } from './schema-acceptor.ts';

/**
 * What a municipality certifies: one content shape per certificate type, told apart by `kind`
 * (always equal to the document's `certificateType`). Names may contain MJ characters and
 * ideographic variation sequences; dates are ISO calendar dates (the templates print 和暦).
 */

const personName = z.string().min(1).max(64);
const address = z.string().min(1).max(256);
const yen = z.number().int().min(0).max(10_000_000_000);
const sex = z.enum(['男', '女']);

/** 外国人住民 (住民基本台帳法 30条の45): what the 住民票 of a foreign resident adds. */
export const ForeignResidentSchema = z.object({
  nationality: z.string().min(1).max(64), // 国籍・地域
  /** 30条45規定区分: 中長期在留者, 特別永住者, 一時庇護許可者, 仮滞在許可者, 出生による経過滞在者, 国籍喪失による経過滞在者. */
  category: z.string().min(1).max(32),
  residenceStatus: z.string().max(64).optional(), // 在留資格 (中長期在留者)
  periodOfStay: z.string().max(32).optional(), // 在留期間, e.g. 5年
  stayExpiresOn: z.iso.date().optional(), // 在留期間の満了の日
});
export type ForeignResident = z.infer<typeof ForeignResidentSchema>;

/** A person as printed on a 住民票. `relationship` (続柄) is left out when the resident asked so. */
export const JuminhyoMemberSchema = z.object({
  name: personName,
  nameKana: z.string().max(128),
  birthDate: z.iso.date(),
  sex,
  relationship: z.string().max(16).optional(), // 続柄: 世帯主, 妻, 子, 母, …
  residentSince: z.iso.date(), // 住民となった年月日
  addressSince: z.iso.date().optional(), // 住所を定めた年月日
  addressNotifiedOn: z.iso.date().optional(), // 届出日 (of the 住所を定めた届出)
  /** 記載事由 and its date, e.g. 転入 on 2021-04-05. */
  entry: z.object({ reason: z.string().min(1).max(32), date: z.iso.date() }).optional(),
  foreign: ForeignResidentSchema.optional(),
  previousAddress: z.string().max(256).optional(),
  kyuuji: z.string().max(64).optional(), // 旧氏
  tsusho: z.string().max(64).optional(), // 通称
  /** 個人番号: only when requested and the municipality allows it. Never in the QR seal, never logged. */
  myNumber: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
});
export type JuminhyoMember = z.infer<typeof JuminhyoMemberSchema>;

export const MunicipalitySchema = z.object({
  code: z.string().regex(/^\d{6}$/), // 全国地方公共団体コード (with check digit)
  name: z.string().min(1).max(32), // e.g. 横浜市
  mayorTitle: z.string().min(1).max(32), // e.g. 横浜市長
  mayorName: z.string().min(1).max(32),
  /** The municipality's wording where it differs from the standard forms (certificate-templates/form-texts.ts). */
  formTexts: z.record(z.string().regex(/^[a-z-]+(\.[a-z-]+)?$/), z.string().min(1).max(120)).optional(),
});
export type Municipality = z.infer<typeof MunicipalitySchema>;

/** Which persons of the household a 住民票 (or 記載事項証明書) shows. */
export const HouseholdScopeSchema = z.enum(['household', 'self', 'members']);
export type HouseholdScope = z.infer<typeof HouseholdScopeSchema>;

/** 住民票の写し (世帯連記式). */
export const JuminhyoContentSchema = z.object({
  kind: z.literal('juminhyo'),
  /** Absent in documents issued before contract 0.2 (then: the whole household). */
  scope: HouseholdScopeSchema.optional(),
  address,
  /** 世帯主の氏名: absent when the resident asked for 世帯主・続柄 to be left out. */
  householdHead: personName.optional(),
  honseki: z.string().max(256).optional(), // 本籍 (only when requested and allowed)
  hittousha: z.string().max(64).optional(), // 筆頭者
  members: z.array(JuminhyoMemberSchema).min(1).max(16),
});
export type JuminhyoContent = z.infer<typeof JuminhyoContentSchema>;

/** 住民票記載事項証明書: the listed facts of the chosen persons (no 前住所, 旧氏 or 個人番号). */
export const JuminhyoKisaiContentSchema = z.object({
  kind: z.literal('juminhyo-kisai'),
  scope: HouseholdScopeSchema,
  address,
  /** 世帯主の氏名: absent when 世帯主・続柄 are left out. */
  householdHead: personName.optional(),
  members: z
    .array(
      JuminhyoMemberSchema.pick({
        name: true,
        nameKana: true,
        birthDate: true,
        sex: true,
        relationship: true,
        residentSince: true,
      }),
    )
    .min(1)
    .max(16),
});
export type JuminhyoKisaiContent = z.infer<typeof JuminhyoKisaiContentSchema>;

/** The registered seal impression as the 印鑑登録原票 holds it: a small PNG (red on transparent). */
export const SealImageSchema = z.object({
  mediaType: z.literal('image/png'),
  widthPx: z.number().int().min(16).max(1024),
  heightPx: z.number().int().min(16).max(1024),
  /** Physical size of the impression, for printing at 1:1. */
  sizeMm: z.number().min(8).max(25),
  data: z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .max(131_072),
});
export type SealImage = z.infer<typeof SealImageSchema>;

/** 印鑑登録証明書. */
export const InkanContentSchema = z.object({
  kind: z.literal('inkan'),
  registrationNumber: z.string().regex(/^\d{4,12}$/), // 登録番号
  registeredOn: z.iso.date(),
  name: personName,
  nameKana: z.string().max(128),
  birthDate: z.iso.date(),
  sex,
  address,
  sealImage: SealImageSchema,
});
export type InkanContent = z.infer<typeof InkanContentSchema>;

const fiscalYear = z.number().int().min(2000).max(2100);

/** 所得・課税証明書 (or 非課税証明書 when `taxable` is false) for one fiscal year (年度). */
export const ShotokuKazeiContentSchema = z.object({
  kind: z.literal('shotoku-kazei'),
  fiscalYear, // 年度 of the assessment, e.g. 2025 (令和7年度)
  incomeYear: fiscalYear, // the calendar year of the income (fiscalYear − 1)
  name: personName,
  birthDate: z.iso.date(),
  /** Address on 1 January of the fiscal year (賦課期日). */
  address,
  taxable: z.boolean(),
  income: z.object({
    salaryRevenue: yen, // 給与収入
    salaryIncome: yen, // 給与所得
    pensionRevenue: yen, // 公的年金等収入
    pensionIncome: yen,
    otherIncome: yen,
    totalIncome: yen, // 合計所得金額
  }),
  deductionsTotal: yen, // 所得控除合計
  taxableIncome: yen, // 課税標準額 (1,000 yen units)
  dependents: z.number().int().min(0).max(20), // 扶養人数
  /** 所得控除, itemised (社会保険料控除, 基礎控除, 配偶者控除, 扶養控除, …); their sum is deductionsTotal. */
  deductions: z
    .array(z.object({ item: z.string().min(1).max(24), yen }))
    .max(16)
    .optional(),
  /** 控除対象配偶者 and 扶養親族 by kind (一般, 特定, 老人, 年少). */
  family: z
    .object({
      spouse: z.boolean(),
      general: z.number().int().min(0).max(20),
      specific: z.number().int().min(0).max(20),
      elderly: z.number().int().min(0).max(20),
      under16: z.number().int().min(0).max(20),
    })
    .optional(),
  /** 徴収方法 of the 住民税. */
  collection: z.enum(['特別徴収', '普通徴収', '特別徴収・普通徴収', '年金特別徴収']).optional(),
  tax: z.object({
    municipalIncomeLevy: yen, // 市町村民税 所得割
    municipalPerCapita: yen, // 市町村民税 均等割
    prefecturalIncomeLevy: yen, // 道府県民税 所得割
    prefecturalPerCapita: yen, // 道府県民税 均等割
    total: yen,
  }),
});
export type ShotokuKazeiContent = z.infer<typeof ShotokuKazeiContentSchema>;

/** 納税証明書: assessed, paid and unpaid amounts per tax item for one fiscal year. */
export const NozeiContentSchema = z.object({
  kind: z.literal('nozei'),
  fiscalYear,
  name: personName,
  address,
  items: z
    .array(
      z.object({
        taxItem: z.string().min(1).max(32), // 税目, e.g. 市県民税（普通徴収）
        period: z.string().min(1).max(16).optional(), // 期別, e.g. 第1期, 全期
        dueDate: z.iso.date().optional(), // 納期限
        assessedYen: yen,
        paidYen: yen,
        unpaidYen: yen,
      }),
    )
    .min(1)
    .max(24),
});
export type NozeiContent = z.infer<typeof NozeiContentSchema>;

/** One 身分事項 of a person in a 戸籍 (出生, 婚姻, 除籍, …). */
export const KosekiEventSchema = z.object({
  kind: z.enum(['編製', '出生', '婚姻', '離婚', '養子縁組', '死亡', '転籍', '入籍', '除籍', '氏の変更']),
  date: z.iso.date(),
  detail: z.string().max(160), // e.g. 【出生地】宮崎県都城市 (each 【…】 tag prints on its own line)
  notifiedOn: z.iso.date().optional(), // 【届出日】
  notifier: z.string().min(1).max(32).optional(), // 【届出人】, e.g. 父
});
export type KosekiEvent = z.infer<typeof KosekiEventSchema>;

export const KosekiMemberSchema = z.object({
  name: personName,
  birthDate: z.iso.date(),
  sex,
  father: z.string().max(64).optional(),
  mother: z.string().max(64).optional(),
  relationship: z.string().min(1).max(16), // 続柄 in the 戸籍: 長男, 二女, 妻, …
  /** 【配偶者区分】 of a married person in this 戸籍. */
  spouseRole: z.enum(['夫', '妻']).optional(),
  /** 除籍: no longer in this 戸籍 (married out, deceased, …); printed with 【除籍】. */
  removed: z.boolean(),
  events: z.array(KosekiEventSchema).max(12),
});
export type KosekiMember = z.infer<typeof KosekiMemberSchema>;

const kosekiBody = {
  honseki: address, // 本籍
  hittousha: personName, // 筆頭者
  /** 戸籍事項: 編製, 転籍, 改製 … */
  kosekiEvents: z.array(KosekiEventSchema).max(8),
};

/** 戸籍全部事項証明書 (謄本): every person ever in this 戸籍, the removed ones marked. */
export const KosekiZenbuContentSchema = z.object({
  kind: z.literal('koseki-zenbu'),
  ...kosekiBody,
  members: z.array(KosekiMemberSchema).min(1).max(24),
});
export type KosekiZenbuContent = z.infer<typeof KosekiZenbuContentSchema>;

/** 戸籍個人事項証明書 (抄本): one person of the 戸籍. */
export const KosekiKojinContentSchema = z.object({
  kind: z.literal('koseki-kojin'),
  ...kosekiBody,
  members: z.array(KosekiMemberSchema).length(1),
});
export type KosekiKojinContent = z.infer<typeof KosekiKojinContentSchema>;

/** 戸籍の附票の写し: the person's addresses while in this 戸籍, oldest first. */
export const KosekiFuhyoContentSchema = z.object({
  kind: z.literal('koseki-fuhyo'),
  honseki: address,
  hittousha: personName,
  name: personName,
  birthDate: z.iso.date(),
  sex: sex.optional(),
  addresses: z
    .array(z.object({ address, since: z.iso.date() })) // 住所を定めた年月日
    .min(1)
    .max(40),
});
export type KosekiFuhyoContent = z.infer<typeof KosekiFuhyoContentSchema>;

export const CertificateContentSchema = z.discriminatedUnion('kind', [
  JuminhyoContentSchema,
  JuminhyoKisaiContentSchema,
  InkanContentSchema,
  ShotokuKazeiContentSchema,
  NozeiContentSchema,
  KosekiZenbuContentSchema,
  KosekiKojinContentSchema,
  KosekiFuhyoContentSchema,
]);
export type CertificateContent = z.infer<typeof CertificateContentSchema>;

/** The data the municipality certifies. Signed as the payload of the QR seal (COSE_Sign1). */
export const CertificateDocumentSchema = z
  .object({
    documentId: z.string().regex(/^[0-9A-Z]{16}$/),
    transactionId: z.uuid(),
    certificateType: CertificateTypeSchema,
    issuedAt: z.iso.datetime({ offset: true }),
    municipality: MunicipalitySchema,
    /** 16 random bytes (hex), new for every document: the key of its holder binding. */
    holderSalt: z.string().regex(/^[0-9a-f]{32}$/),
    /**
     * HMAC-SHA256 (hex) keyed with holderSalt over the SHA-256 of the DER 利用者証明用 certificate the
     * resident authenticated with (protocol/seal.ts holderBindingFor): the kiosk checks it against
     * the card on the reader; two documents of one resident cannot be linked by it.
     */
    holderBinding: z.string().regex(/^[0-9a-f]{64}$/),
    pageCount: z.number().int().min(1).max(99),
    content: CertificateContentSchema,
  })
  .refine((d) => d.content.kind === d.certificateType, {
    message: 'content.kind must equal certificateType',
    path: ['content', 'kind'],
  });
export type CertificateDocument = z.infer<typeof CertificateDocumentSchema>;

const documentAcceptor = schemaAcceptor(CertificateDocumentSchema);

/**
 * A valid document as it is: `document` itself when the contract surely accepts it unchanged (a
 * quick check without zod's copies), else zod's parse, which throws the same ZodError as always.
 */
export function acceptedDocument(document: unknown): CertificateDocument {
  return documentAcceptor.accepts(document)
    ? (document as CertificateDocument)
    : CertificateDocumentSchema.parse(document);
}

/** A document of one certificate type, its content narrowed. */
export type DocumentOf<K extends CertificateContent['kind']> = Omit<CertificateDocument, 'content'> & {
  content: Extract<CertificateContent, { kind: K }>;
};

/** 世帯連記式: at most this many persons on one page of a 住民票. Centre and templates agree on it. */
export const JUMINHYO_MEMBERS_PER_PAGE = 4;

export function juminhyoPageCount(memberCount: number): number {
  return Math.max(1, Math.ceil(memberCount / JUMINHYO_MEMBERS_PER_PAGE));
}

/** Printed lines a 戸籍 page holds (戸籍事項 and person blocks); a person block is never split. */
export const KOSEKI_LINES_PER_PAGE = 40;
/** Height of one 戸籍 line in points (A4: 40 lines between the header and the 認証文). */
export const KOSEKI_LINE_HEIGHT = 13.5;
export const NOZEI_ITEMS_PER_PAGE = 12;
export const FUHYO_ADDRESSES_PER_PAGE = 12;

/** One printed line of a 身分事項 or 戸籍事項: its text and the document path it comes from. */
export interface KosekiTag {
  text: string;
  field: string;
}

/**
 * The lines of one event as the 戸籍 form prints them: 【出生日】 (the event's date, formatted by
 * `formatDate`), each 【…】 tag of its detail, then 【届出日】 and 【届出人】 when recorded.
 */
export function kosekiEventTags(event: KosekiEvent, formatDate: (isoDate: string) => string): KosekiTag[] {
  const tags: KosekiTag[] = [{ text: `【${event.kind}日】${formatDate(event.date)}`, field: '.date' }];
  for (const part of event.detail.split(/(?=【)/u)) {
    if (part.trim().length > 0) tags.push({ text: part.trim(), field: '.detail' });
  }
  if (event.notifiedOn)
    tags.push({ text: `【届出日】${formatDate(event.notifiedOn)}`, field: '.notifiedOn' });
  if (event.notifier) tags.push({ text: `【届出人】${event.notifier}`, field: '.notifier' });
  return tags;
}

const eventLines = (event: KosekiEvent): number => kosekiEventTags(event, (d) => d).length;

/** Lines a person block of a 戸籍 takes: 名, 生年月日, 父 and 母 when recorded, 続柄, then every event line. */
export function kosekiMemberLines(member: KosekiMember): number {
  const parents = (member.father ? 1 : 0) + (member.mother ? 1 : 0);
  return 3 + parents + member.events.reduce((n, e) => n + eventLines(e), 0);
}

/** Which persons (indices) go on which page of a 戸籍 certificate. Centre and templates agree on it. */
export function kosekiPages(content: KosekiZenbuContent | KosekiKojinContent): number[][] {
  const pages: number[][] = [[]];
  let used = 2 + content.kosekiEvents.reduce((n, e) => n + eventLines(e), 0); // 本籍, 氏名, 戸籍事項
  content.members.forEach((member, index) => {
    const lines = kosekiMemberLines(member);
    const page = pages[pages.length - 1]!;
    if (page.length > 0 && used + lines > KOSEKI_LINES_PER_PAGE) {
      pages.push([index]);
      used = lines;
    } else {
      page.push(index);
      used += lines;
    }
  });
  return pages;
}

function chunks(count: number, perPage: number): number {
  return Math.max(1, Math.ceil(count / perPage));
}

/** The number of printed pages of a document with this content. */
export function pageCountFor(content: CertificateContent): number {
  switch (content.kind) {
    case 'juminhyo':
    case 'juminhyo-kisai':
      return juminhyoPageCount(content.members.length);
    case 'inkan':
    case 'shotoku-kazei':
      return 1;
    case 'nozei':
      return chunks(content.items.length, NOZEI_ITEMS_PER_PAGE);
    case 'koseki-zenbu':
    case 'koseki-kojin':
      return kosekiPages(content).length;
    case 'koseki-fuhyo':
      return chunks(content.addresses.length, FUHYO_ADDRESSES_PER_PAGE);
  }
}
