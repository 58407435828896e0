import { ZodError } from 'zod';
import type { AllowedOptions, IssueOptions } from '../../protocol/api.ts';
import { schemaProblems } from '../../certificate-templates/printable.ts';
import type { CertificateType } from '../../protocol/certificate-types.ts';
import type { CertificateDocument, HouseholdScope } from '../../protocol/documents.ts';
import type { MunicipalityRecord } from '../db/records.ts';
import { fail, succeed, type CentreResult } from '../errors.ts';
import { kosekiIdFor } from '../seed/registers.ts';
import {
  buildJuminhyoDocument,
  buildJuminhyoKisaiDocument,
  certifiedDocument,
  type DocumentFrame,
  type JuminhyoChoice,
} from './juminhyo.ts';
import type { CertifyReads } from './register-reads.ts';
import {
  fuhyoContent,
  inkanContent,
  kosekiKojinContent,
  kosekiZenbuContent,
  nozeiContent,
  shotokuKazeiContent,
} from './register-documents.ts';
import type { ResidentContext } from './residentContext.ts';

const OPTIONS_OF: Record<CertificateType, ReadonlyArray<keyof IssueOptions>> = {
  juminhyo: ['scope', 'members', 'includeHonseki', 'includeRelationship', 'includeMyNumber'],
  'juminhyo-kisai': ['scope', 'members', 'includeRelationship'],
  inkan: [],
  'shotoku-kazei': ['taxYear'],
  nozei: ['taxYear'],
  'koseki-zenbu': [],
  'koseki-kojin': [],
  'koseki-fuhyo': [],
};

/**
 * Checks the resident's options against the type and the municipality's allowed options.
 * A malformed combination is `bad-request`; an option the municipality does not allow is
 * `option-not-allowed`. The detail names the option, never a value.
 */
export function checkOptions(
  type: CertificateType,
  options: IssueOptions,
  allowed: AllowedOptions,
): CentreResult<IssueOptions> {
  for (const key of Object.keys(options) as Array<keyof IssueOptions>) {
    if (options[key] !== undefined && !OPTIONS_OF[type].includes(key)) {
      return fail('bad-request', `option ${key} does not apply to ${type}`);
    }
  }
  if (options.scope && !(allowed.scopes ?? []).includes(options.scope)) {
    return fail('option-not-allowed', `scope ${options.scope} not allowed`);
  }
  if ((options.scope === 'members') !== (options.members !== undefined)) {
    return fail('bad-request', 'members are given exactly with scope members');
  }
  if (options.includeHonseki && !allowed.honseki)
    return fail('option-not-allowed', 'option includeHonseki not allowed');
  if (options.includeRelationship && !allowed.relationship) {
    return fail('option-not-allowed', 'option includeRelationship not allowed');
  }
  if (options.includeMyNumber && !allowed.myNumber)
    return fail('option-not-allowed', 'option includeMyNumber not allowed');
  if (options.taxYear !== undefined && !(allowed.taxYears ?? []).includes(options.taxYear)) {
    return fail('bad-request', 'taxYear not available');
  }
  return succeed(options);
}

export interface CertifyInput {
  type: CertificateType;
  options: IssueOptions;
  allowed: AllowedOptions;
  issuer: MunicipalityRecord;
  context: ResidentContext;
  frame: Omit<DocumentFrame, 'municipality'>;
  /** Only the household's members are read from it (register-reads.ts may stand in for it). */
  repository: Pick<CertifyReads, 'listHouseholdMembers'>;
  /** The 印鑑, tax, 戸籍 and 附票 registers (register-reads.ts may stand in for them). */
  registers: Omit<CertifyReads, 'listHouseholdMembers'>;
}

/**
 * Builds the certified document from the registers as they are now. Register data the contract
 * does not accept (a required field missing or empty) is `document-unprintable`, naming the fields.
 */
export async function certify(input: CertifyInput): Promise<CentreResult<CertificateDocument>> {
  try {
    return await certifyFromRegisters(input);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const problems = schemaProblems(error.issues);
    return fail(
      'document-unprintable',
      problems
        .slice(0, 4)
        .map((p) => `${p.reason} ${p.field}`)
        .join(', '),
    );
  }
}

async function certifyFromRegisters(input: CertifyInput): Promise<CentreResult<CertificateDocument>> {
  const { type, options, allowed, context, registers, repository } = input;
  const { resident } = context.menu;
  const { household } = context;
  const frame: DocumentFrame = { ...input.frame, municipality: input.issuer };
  switch (type) {
    case 'juminhyo':
    case 'juminhyo-kisai': {
      if (options.includeMyNumber) {
        // The reference register never holds 個人番号 (nor does any log or store of this centre).
        return fail('certificate-not-offered', 'this issuing server holds no 個人番号');
      }
      const current = await repository.listHouseholdMembers(household.householdId);
      const scope: HouseholdScope = options.scope ?? (type === 'juminhyo' ? 'household' : 'self');
      const positions = new Set(options.members ?? []);
      const members =
        scope === 'household'
          ? current
          : scope === 'self'
            ? current.filter((m) => m.holderId === resident.holderId)
            : current.filter((_, i) => positions.has(i + 1));
      if (members.length === 0 || (scope === 'members' && members.length !== positions.size)) {
        return fail('bad-request', 'chosen members are not in the household');
      }
      const choice: JuminhyoChoice = {
        scope,
        includeRelationship: options.includeRelationship ?? allowed.relationship ?? true,
        includeHonseki: options.includeHonseki ?? false,
      };
      const head = (current.find((m) => m.relationship === '世帯主') ?? current[0])?.name;
      const juminhyoInput = {
        ...frame,
        household,
        members,
        choice,
        ...(head ? { householdHead: head } : {}),
        ...(resident.honseki ? { honseki: resident.honseki } : {}),
      };
      return succeed(
        type === 'juminhyo'
          ? buildJuminhyoDocument(juminhyoInput)
          : buildJuminhyoKisaiDocument(juminhyoInput),
      );
    }
    case 'inkan': {
      const registration = await registers.inkanOf(resident.holderId);
      if (registration?.status !== 'registered') return fail('no-registration', 'no registered 印鑑');
      const content = inkanContent(registration, resident, household);
      if (!content) return fail('no-registration', 'no impression on the 印鑑登録');
      return succeed(certifiedDocument(frame, content));
    }
    case 'shotoku-kazei':
    case 'nozei': {
      const year = options.taxYear ?? allowed.taxYears?.[0];
      const assessment =
        year === undefined ? undefined : await registers.taxAssessment(resident.holderId, year);
      if (!assessment) return fail('no-registration', 'no assessment for the fiscal year');
      const content =
        type === 'nozei'
          ? nozeiContent(assessment, resident, household)
          : shotokuKazeiContent(assessment, resident);
      return succeed(certifiedDocument(frame, content));
    }
    case 'koseki-zenbu':
    case 'koseki-kojin':
    case 'koseki-fuhyo': {
      const koseki = resident.honseki ? await registers.kosekiOf(kosekiIdFor(resident.honseki)) : undefined;
      if (!koseki) return fail('certificate-not-offered', 'no 戸籍 on the register');
      if (type === 'koseki-zenbu') return succeed(certifiedDocument(frame, kosekiZenbuContent(koseki)));
      if (type === 'koseki-kojin') {
        const content = kosekiKojinContent(koseki, resident.holderId);
        return content
          ? succeed(certifiedDocument(frame, content))
          : fail('certificate-not-offered', 'not in the 戸籍');
      }
      const fuhyo = await registers.fuhyoOf(resident.holderId);
      if (!fuhyo) return fail('certificate-not-offered', 'no 附票 on the register');
      return succeed(certifiedDocument(frame, fuhyoContent(fuhyo, koseki, resident)));
    }
  }
}
