import { z } from 'zod';
import type {
  FuhyoRecord,
  InkanRegistration,
  KosekiRecord,
  KosekiUseRegistration,
  TaxAssessment,
} from '../seed/types.ts';

/**
 * The municipal registers as stored (JSON per row), validated when written and when read back.
 * Each schema is checked against its domain type below, so the two do not drift apart.
 */

const code = z.string().regex(/^\d{6}$/);
const yen = z.number().int();

export const InkanRegistrationSchema = z.strictObject({
  holderId: z.string().min(1),
  municipalityCode: code,
  registrationNumber: z.string().regex(/^\d+$/),
  registeredOn: z.iso.date(),
  status: z.enum(['registered', 'abolished']),
  abolishedOn: z.iso.date().optional(),
  sealImagePng: z.base64().optional(),
  sealDesign: z.string().min(1).max(64).optional(),
  sealImagePx: z.number().int().positive(),
  sealSizeMm: z.number().positive(),
});

export const TaxAssessmentSchema = z.strictObject({
  holderId: z.string().min(1),
  municipalityCode: code,
  fiscalYear: z.number().int().min(1900).max(2200),
  addressOnAssessmentDay: z.string().max(256),
  taxable: z.boolean(),
  income: z.strictObject({
    salaryRevenue: yen,
    salaryIncome: yen,
    pensionRevenue: yen,
    pensionIncome: yen,
    otherIncome: yen,
    totalIncome: yen,
  }),
  deductionsTotal: yen,
  deductions: z.array(z.strictObject({ item: z.string().min(1), yen })).optional(),
  taxableIncome: yen,
  dependents: z.number().int().min(0),
  family: z
    .strictObject({
      spouse: z.boolean(),
      general: z.number().int().min(0),
      specific: z.number().int().min(0),
      elderly: z.number().int().min(0),
      under16: z.number().int().min(0),
    })
    .optional(),
  collection: z.enum(['特別徴収', '普通徴収', '特別徴収・普通徴収', '年金特別徴収']).optional(),
  tax: z.strictObject({
    municipalIncomeLevy: yen,
    municipalPerCapita: yen,
    prefecturalIncomeLevy: yen,
    prefecturalPerCapita: yen,
    total: yen,
  }),
  payments: z.array(
    z.strictObject({
      taxItem: z.string().min(1),
      period: z.string().min(1).optional(),
      dueDate: z.iso.date().optional(),
      assessedYen: yen,
      paidYen: yen,
      unpaidYen: yen,
    }),
  ),
});

const KosekiEventSchema = z.strictObject({
  kind: z.enum(['編製', '出生', '婚姻', '離婚', '養子縁組', '死亡', '転籍', '入籍', '除籍', '氏の変更']),
  date: z.iso.date(),
  detail: z.string(),
  notifiedOn: z.iso.date().optional(),
  notifier: z.string().min(1).optional(),
});

export const KosekiRecordSchema = z.strictObject({
  kosekiId: z.string().min(1),
  municipalityCode: code,
  honseki: z.string().min(1).max(256),
  hittousha: z.string().min(1).max(64),
  kosekiEvents: z.array(KosekiEventSchema),
  members: z.array(
    z.strictObject({
      holderId: z.string().min(1).optional(),
      name: z.string().min(1).max(64),
      birthDate: z.iso.date(),
      sex: z.enum(['男', '女']),
      father: z.string().max(64).optional(),
      mother: z.string().max(64).optional(),
      relationship: z.string().max(16),
      spouseRole: z.enum(['夫', '妻']).optional(),
      removed: z.boolean(),
      events: z.array(KosekiEventSchema),
    }),
  ),
});

export const FuhyoRecordSchema = z.strictObject({
  holderId: z.string().min(1),
  kosekiId: z.string().min(1),
  municipalityCode: code,
  addresses: z.array(z.strictObject({ address: z.string().min(1).max(256), since: z.iso.date() })),
});

export const KosekiUseRegistrationSchema = z.strictObject({
  requestId: z.string().regex(/^[0-9A-Z]{1,32}$/),
  holderId: z.string().min(1),
  honsekiMunicipalityCode: code,
  status: z.enum(['pending', 'approved', 'rejected']),
  filedAt: z.number().int().nonnegative(),
  decidedAt: z.number().int().nonnegative().optional(),
});

/** Compile-time: each schema's output and its domain type are assignable both ways (strict objects catch extra fields at run time). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact = <T extends true>(value: T) => value;
exact<Same<z.infer<typeof InkanRegistrationSchema>, InkanRegistration>>(true);
exact<Same<z.infer<typeof TaxAssessmentSchema>, TaxAssessment>>(true);
exact<Same<z.infer<typeof KosekiRecordSchema>, KosekiRecord>>(true);
exact<Same<z.infer<typeof FuhyoRecordSchema>, FuhyoRecord>>(true);
exact<Same<z.infer<typeof KosekiUseRegistrationSchema>, KosekiUseRegistration>>(true);

/** A use registration row as both dialects return it (epoch ms as numbers). */
export interface UseRegistrationRow {
  request_id: string;
  holder_id: string;
  honseki_municipality_code: string;
  status: string;
  filed_at: number;
  decided_at: number | null;
}

export function useRegistrationFromRow(row: UseRegistrationRow): KosekiUseRegistration {
  return KosekiUseRegistrationSchema.parse({
    requestId: row.request_id,
    holderId: row.holder_id,
    honsekiMunicipalityCode: row.honseki_municipality_code,
    status: row.status,
    filedAt: row.filed_at,
    ...(row.decided_at === null ? {} : { decidedAt: row.decided_at }),
  });
}

/** An 印鑑登録 as read: the loaded registration, abolished if an abolition names it. */
export function inkanFromRow(recordJson: string, abolishedOn: string | null): InkanRegistration {
  const registration = InkanRegistrationSchema.parse(JSON.parse(recordJson));
  return abolishedOn === null ? registration : { ...registration, status: 'abolished', abolishedOn };
}
