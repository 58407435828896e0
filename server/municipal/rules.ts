import { z } from 'zod';
import {
  CERTIFICATE_TYPES,
  CertificateTypeSchema,
  type CertificateType,
} from '../../protocol/certificate-types.ts';
import { HouseholdScopeSchema } from '../../protocol/documents.ts';

/**
 * A municipality's kiosk rules: what it offers (to residents and to 本籍地-only users), fees per
 * copy, hours per type, closed days and maintenance windows, the options residents may choose,
 * copy limits, minimum age and notices. Unknown settings and contradictions are refused, each with
 * a message naming the setting (`offerings.inkan.forNonResidents: …`).
 */

export const KOSEKI_TYPES: readonly CertificateType[] = ['koseki-zenbu', 'koseki-kojin', 'koseki-fuhyo'];
export const TAX_TYPES: readonly CertificateType[] = ['shotoku-kazei', 'nozei'];
const JUMINHYO_TYPES: readonly CertificateType[] = ['juminhyo', 'juminhyo-kisai'];

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a JST clock time HH:MM');

export const ServiceHoursSchema = z.strictObject({
  opens: ClockTime,
  closes: ClockTime,
  /** Only Monday–Friday (e.g. 戸籍, because the 本籍地's systems are only up then). */
  weekdaysOnly: z.boolean().optional(),
});

export const CertificateOfferingSchema = z.strictObject({
  /** Fee per copy. */
  feeYen: z.number().int().min(0).max(10_000),
  maxCopies: z.number().int().min(1).max(10),
  /** Narrower hours for this type; the municipality's service hours apply otherwise. */
  hours: ServiceHoursSchema.optional(),
  /** 戸籍 types: also issued to residents elsewhere whose 本籍 is here (after 利用登録). */
  forNonResidents: z.boolean().optional(),
  /** A higher minimum age for this type than the municipality's. */
  minimumAge: z.number().int().min(0).max(20).optional(),
});

export const AllowedOptionsConfigSchema = z.strictObject({
  /** 住民票 scopes residents may choose (default: all). */
  juminhyoScopes: z.array(HouseholdScopeSchema).min(1).optional(),
  honseki: z.boolean().optional(), // 本籍・筆頭者 on a 住民票
  relationship: z.boolean().optional(), // 続柄 may be shown (default true)
  myNumber: z.boolean().optional(), // 個人番号 on a 住民票 (default false)
  /** How many fiscal years back (current included) 所得・課税 / 納税 may be issued for. */
  taxYearsBack: z.number().int().min(1).max(5).optional(),
});

const MonthDay = z.string().regex(/^\d{2}-\d{2}$/, 'a day of the year MM-DD');

export const MunicipalNoticeSchema = z.strictObject({
  id: z.string().min(1).max(32),
  ja: z.string().min(1).max(400),
  en: z.string().max(400).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});

export const MaintenanceWindowSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  until: z.iso.datetime({ offset: true }),
});

/** JIS X 0401 check digit of a 5-digit municipality code. */
function checkDigit(fiveDigits: string): number {
  const weights = [6, 5, 4, 3, 2];
  const sum = [...fiveDigits].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return (11 - (sum % 11)) % 10;
}

function validMonthDay(value: string): boolean {
  const [m, d] = value.split('-').map(Number) as [number, number];
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
}

const MunicipalRulesObject = z.strictObject({
  code: z.string().regex(/^\d{6}$/, '全国地方公共団体コード: 6 digits'),
  prefecture: z.string().min(1),
  name: z.string().min(1).max(32),
  mayorTitle: z.string().min(1).max(32),
  mayorName: z.string().min(1).max(32),
  participating: z.boolean(),
  /** Residents younger than this are refused every certificate. */
  minimumAge: z.number().int().min(0).max(20).optional(),
  serviceHours: ServiceHoursSchema,
  /** "MM-DD" days with no service (年末年始). */
  closedDays: z.array(MonthDay),
  maintenance: z.array(MaintenanceWindowSchema).optional(),
  /** The most copies of one certificate in one transaction, whatever the type. */
  copyLimit: z.number().int().min(1).max(10).optional(),
  offerings: z.partialRecord(CertificateTypeSchema, CertificateOfferingSchema),
  options: AllowedOptionsConfigSchema.optional(),
  notices: z.array(MunicipalNoticeSchema).max(8).optional(),
});

type Hours = z.infer<typeof ServiceHoursSchema>;

export const MunicipalRulesSchema = MunicipalRulesObject.superRefine((rules, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (checkDigit(rules.code.slice(0, 5)) !== Number(rules.code[5])) {
    issue(['code'], `check digit of ${rules.code} should be ${checkDigit(rules.code.slice(0, 5))}`);
  }
  const checkHours = (path: (string | number)[], hours: Hours) => {
    if (hours.closes <= hours.opens)
      issue(path, `closes (${hours.closes}) must be after opens (${hours.opens})`);
  };
  checkHours(['serviceHours'], rules.serviceHours);
  const seen = new Set<string>();
  rules.closedDays.forEach((day, i) => {
    if (!validMonthDay(day)) issue(['closedDays', i], `${day} is not a day of the year`);
    if (seen.has(day)) issue(['closedDays', i], `${day} is listed twice`);
    seen.add(day);
  });
  rules.maintenance?.forEach((w, i) => {
    if (Date.parse(w.until) <= Date.parse(w.from)) issue(['maintenance', i], 'until must be after from');
  });
  rules.notices?.forEach((n, i) => {
    if (n.from && n.until && Date.parse(n.until) <= Date.parse(n.from))
      issue(['notices', i], 'until must be after from');
  });
  for (const type of CERTIFICATE_TYPES) {
    const offering = rules.offerings[type];
    if (!offering) continue;
    const at = ['offerings', type];
    if (offering.hours) {
      checkHours([...at, 'hours'], offering.hours);
      const s = rules.serviceHours;
      if (offering.hours.opens < s.opens || offering.hours.closes > s.closes) {
        issue(
          [...at, 'hours'],
          `${offering.hours.opens}–${offering.hours.closes} is not inside the service hours ${s.opens}–${s.closes}`,
        );
      }
    }
    if (offering.forNonResidents && !KOSEKI_TYPES.includes(type)) {
      issue(
        [...at, 'forNonResidents'],
        `only 戸籍 types (${KOSEKI_TYPES.join(', ')}) can be offered to 本籍地-only users`,
      );
    }
    if (rules.copyLimit !== undefined && offering.maxCopies > rules.copyLimit) {
      issue([...at, 'maxCopies'], `${offering.maxCopies} exceeds copyLimit ${rules.copyLimit}`);
    }
    if (
      offering.minimumAge !== undefined &&
      rules.minimumAge !== undefined &&
      offering.minimumAge < rules.minimumAge
    ) {
      issue(
        [...at, 'minimumAge'],
        `${offering.minimumAge} is below the municipality's minimumAge ${rules.minimumAge}, which applies to every type`,
      );
    }
  }
  const options = rules.options;
  if (options) {
    const offersJuminhyo = JUMINHYO_TYPES.some((t) => rules.offerings[t]);
    for (const key of ['juminhyoScopes', 'honseki', 'myNumber'] as const) {
      const value = options[key];
      if (value !== undefined && value !== false && !offersJuminhyo) {
        issue(['options', key], 'set, but neither juminhyo nor juminhyo-kisai is offered');
      }
    }
    if (options.myNumber && !rules.offerings.juminhyo) {
      issue(['options', 'myNumber'], '個人番号 is only printed on juminhyo, which is not offered');
    }
    if (options.juminhyoScopes && new Set(options.juminhyoScopes).size !== options.juminhyoScopes.length) {
      issue(['options', 'juminhyoScopes'], 'a scope is listed twice');
    }
    if (options.taxYearsBack !== undefined && !TAX_TYPES.some((t) => rules.offerings[t])) {
      issue(['options', 'taxYearsBack'], 'set, but neither shotoku-kazei nor nozei is offered');
    }
  }
});
export type MunicipalRules = z.infer<typeof MunicipalRulesSchema>;

export type RulesResult = { ok: true; rules: MunicipalRules } | { ok: false; errors: string[] };

/** Validates a municipality's rules; every problem is one message `path: what is wrong`. */
export function parseMunicipalRules(input: unknown): RulesResult {
  const parsed = MunicipalRulesSchema.safeParse(input);
  if (parsed.success) return { ok: true, rules: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`),
  };
}
