/**
 * The resident's choices on the confirm screen (scope, members, 本籍・筆頭者, 続柄, 年度), kept to
 * what the municipality allows for the chosen certificate, and turned into the issue request's
 * `options`. 個人番号 is never offered by this kiosk: the centre holds no 個人番号, so the choice
 * would only end in a refusal after payment.
 */
import type { AllowedOptions, CertificateType, HouseholdScope, IssueOptions } from '../../protocol/index.ts';
import type { ConfirmOptionsView } from '../kiosk-api.ts';

export interface HouseholdMember {
  order: number;
  name: string;
}

/** What the municipality allows for this item, narrowed to what this kiosk can offer. */
export interface OfferedOptions {
  scopes: HouseholdScope[];
  honseki: boolean;
  relationship: boolean;
  taxYears: number[];
}

export interface OptionChoice {
  scope: HouseholdScope | null;
  /** Positions on the 住民票 (HouseholdMember.order), ascending. Used with scope `members`. */
  members: number[];
  includeHonseki: boolean;
  includeRelationship: boolean;
  taxYear: number | null;
}

/**
 * Where the household list stands in this transaction: not asked for (the centre sends no names
 * until the resident chooses scope `members`), being fetched, fetched, or the fetch failed.
 */
export type HouseholdLookup =
  | { state: 'not-asked' }
  | { state: 'loading' }
  | { state: 'failed' }
  | { state: 'loaded'; members: readonly HouseholdMember[] };

/** The options the kiosk offers for an item (`members` too: its names are fetched when chosen). */
export function offeredOptions(allowed: AllowedOptions | undefined): OfferedOptions {
  return {
    scopes: [...new Set(allowed?.scopes ?? [])],
    honseki: allowed?.honseki === true,
    relationship: allowed?.relationship === true,
    taxYears: [...(allowed?.taxYears ?? [])],
  };
}

/**
 * The choice the confirm screen starts with: the centre's defaults (住民票: the whole household;
 * 記載事項証明書: the resident alone; 続柄 printed where allowed; no 本籍; the newest 年度).
 */
export function initialChoice(type: CertificateType, offered: OfferedOptions): OptionChoice {
  const preferred: HouseholdScope = type === 'juminhyo-kisai' ? 'self' : 'household';
  return {
    scope: offered.scopes.includes(preferred) ? preferred : (offered.scopes[0] ?? null),
    members: [],
    includeHonseki: false,
    includeRelationship: offered.relationship,
    taxYear: offered.taxYears[0] ?? null,
  };
}

/** A choice is complete unless scope `members` has nobody chosen. */
export function choiceComplete(choice: OptionChoice): boolean {
  return choice.scope !== 'members' || choice.members.length > 0;
}

/** The `options` of the issue request: only what the item allows; undefined when it allows nothing. */
export function issueOptionsFor(offered: OfferedOptions, choice: OptionChoice): IssueOptions | undefined {
  const options: IssueOptions = {};
  if (choice.scope !== null && offered.scopes.includes(choice.scope)) {
    options.scope = choice.scope;
    if (choice.scope === 'members') options.members = [...choice.members].sort((a, b) => a - b);
  }
  if (offered.honseki) options.includeHonseki = choice.includeHonseki;
  if (offered.relationship) options.includeRelationship = choice.includeRelationship;
  if (choice.taxYear !== null && offered.taxYears.includes(choice.taxYear)) options.taxYear = choice.taxYear;
  return Object.keys(options).length > 0 ? options : undefined;
}

/** What the confirm screen shows; undefined when the item has no choices. */
export function confirmOptionsView(
  offered: OfferedOptions,
  choice: OptionChoice,
  household: HouseholdLookup,
): ConfirmOptionsView | undefined {
  const view: ConfirmOptionsView = {};
  if (choice.scope !== null && offered.scopes.length > 0) {
    view.scope = { allowed: [...offered.scopes], chosen: choice.scope };
    if (choice.scope === 'members') {
      if (household.state === 'loaded')
        view.members = household.members.map((m) => ({
          order: m.order,
          name: m.name,
          chosen: choice.members.includes(m.order),
        }));
      else view.membersStatus = household.state === 'failed' ? 'failed' : 'loading';
    }
  }
  if (offered.honseki) view.honseki = choice.includeHonseki;
  if (offered.relationship) view.relationship = choice.includeRelationship;
  if (choice.taxYear !== null) view.taxYear = { allowed: [...offered.taxYears], chosen: choice.taxYear };
  return Object.keys(view).length > 0 ? view : undefined;
}

/** Adds or removes one household member from the chosen ones. */
export function toggleMember(members: readonly number[], order: number): number[] {
  return members.includes(order)
    ? members.filter((m) => m !== order)
    : [...members, order].sort((a, b) => a - b);
}
