import { z } from 'zod';
import { CertificateTypeSchema } from './certificate-types.ts';

/** A person as printed on a 住民票. Names may contain MJ characters and variation sequences. */
export const JuminhyoMemberSchema = z.object({
  name: z.string().min(1).max(64),
  nameKana: z.string().max(128),
  birthDate: z.iso.date(),
  sex: z.enum(['男', '女']),
  relationship: z.string().max(16), // 続柄: 世帯主, 妻, 子, 母, …
  residentSince: z.iso.date(), // 住民となった年月日
  previousAddress: z.string().max(256).optional(),
  kyuuji: z.string().max(64).optional(), // 旧氏
  tsusho: z.string().max(64).optional(), // 通称
});
export type JuminhyoMember = z.infer<typeof JuminhyoMemberSchema>;

export const MunicipalitySchema = z.object({
  code: z.string().regex(/^\d{6}$/), // 全国地方公共団体コード (with check digit)
  name: z.string().min(1).max(32), // e.g. 横浜市
  mayorTitle: z.string().min(1).max(32), // e.g. 横浜市長
  mayorName: z.string().min(1).max(32),
});
export type Municipality = z.infer<typeof MunicipalitySchema>;

export const JuminhyoContentSchema = z.object({
  kind: z.literal('juminhyo'),
  address: z.string().min(1).max(256),
  householdHead: z.string().min(1).max(64),
  honseki: z.string().max(256).optional(), // 本籍 (only when requested and allowed)
  hittousha: z.string().max(64).optional(), // 筆頭者
  members: z.array(JuminhyoMemberSchema).min(1).max(16),
});
export type JuminhyoContent = z.infer<typeof JuminhyoContentSchema>;

/** The data the municipality certifies. Signed as the payload of the QR seal (COSE_Sign1). */
export const CertificateDocumentSchema = z.object({
  documentId: z.string().regex(/^[0-9A-Z]{16}$/),
  transactionId: z.uuid(),
  certificateType: CertificateTypeSchema,
  issuedAt: z.iso.datetime({ offset: true }),
  municipality: MunicipalitySchema,
  /** SHA-256 (hex) of the DER 利用者証明用 certificate the resident authenticated with. */
  holderBinding: z.string().regex(/^[0-9a-f]{64}$/),
  pageCount: z.number().int().min(1).max(99),
  content: JuminhyoContentSchema,
});
export type CertificateDocument = z.infer<typeof CertificateDocumentSchema>;

/** 世帯連記式: at most this many persons on one page of a 住民票. Centre and templates agree on it. */
export const JUMINHYO_MEMBERS_PER_PAGE = 4;

export function juminhyoPageCount(memberCount: number): number {
  return Math.max(1, Math.ceil(memberCount / JUMINHYO_MEMBERS_PER_PAGE));
}
