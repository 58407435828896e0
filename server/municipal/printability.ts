import type { AllowedOptions, MenuItem } from '../../protocol/api.ts';
import type { CertificateDocument, HouseholdScope } from '../../protocol/documents.ts';
import { checkPrintableDocument, type PrintProblem } from '../../certificate-templates/printable.ts';
import type { CentreRepository } from '../db/repository.ts';
import { certify } from './certify.ts';
import { newHolderBinding, type DocumentFrame } from './juminhyo.ts';
import { buildMenu, decideCertificate } from './menu.ts';
import { answerKey, type PrintAnswers, type ProvedMenus } from './proved-menus.ts';
import { readsOnce } from './register-reads.ts';
import type { RegisterStore } from './register-store.ts';
import type { ResidentContext } from './residentContext.ts';
import { japanDateOf } from '../../certificate-templates/wareki.ts';

/**
 * Whether a document the centre built would print on the kiosk's form. The centre runs the
 * kiosk's own check (certificate-templates/printable.ts: same forms, same embedded fonts), so an
 * overlong name or address, a character neither font has or a missing field is known before the
 * resident pays: the menu offers the item as unavailable (`unprintable`, the kiosk sends the
 * resident to the counter), and issue refuses it (`document-unprintable`) before anything is
 * signed, recorded or billed.
 */
export type PrintabilityCheck = (document: CertificateDocument) => readonly PrintProblem[];

/**
 * The templates' check on this machine's fonts. Fonts that cannot be loaded make every document
 * unprintable (a set-up fault of the centre: nothing is offered that might not print).
 */
export const templatePrintability: PrintabilityCheck = (document) => {
  const check = checkPrintableDocument(document);
  if (!check.ok) return [{ reason: 'invalid', field: `fonts (${check.error.kind})` }];
  return check.problems;
};

/** A short, value-free description of the problems for logs and refusals: `too-long address, …`. */
export function describeProblems(problems: readonly PrintProblem[]): string {
  return problems
    .slice(0, 4)
    .map((p) => `${p.reason} ${p.field}${p.reason === 'glyph-missing' ? ` ${p.codePoint}` : ''}`)
    .join(', ');
}

export interface MenuPrintabilityInput {
  menu: readonly MenuItem[];
  context: ResidentContext;
  frame: Omit<DocumentFrame, 'municipality'>;
  repository: CentreRepository;
  registers: RegisterStore;
  check: PrintabilityCheck;
  /** Answers proved for this resident's documents at this date and register version (proved-menus.ts). */
  proved?: PrintAnswers;
}

/** The 住民票 scopes the menu checks one by one; `members` stands or falls with `self`. */
const CHECKED_SCOPES: readonly HouseholdScope[] = ['household', 'self'];

/**
 * The menu with every available item checked the way issue would build it (default options; each
 * 住民票 scope on its own): a scope that would not print is taken off the item's options, an item
 * with nothing printable left becomes unavailable with reason `unprintable`. Nothing is stored.
 */
export async function withPrintability(input: MenuPrintabilityInput): Promise<MenuItem[]> {
  return (await fitMenu(input)).menu;
}

/** withPrintability's menu, with every answer it used (`built`: whether any was not proved). */
async function fitMenu(
  input: MenuPrintabilityInput,
): Promise<{ menu: MenuItem[]; answers: PrintAnswers; built: boolean }> {
  const { resident } = input.context.menu;
  const answers = new Map(input.proved);
  let built = false;
  // Every document of this menu from one read of each register (the 印鑑登録 as the context read it).
  const reads = readsOnce(input.repository, input.registers, {
    inkan: { holderId: resident.holderId, registration: input.context.menu.inkan },
  });
  // The menu's documents are checked and dropped (issue builds its own with a fresh binding): one
  // binding serves them all, as it is no part of what is printed; made with the first document
  // built (a menu whose answers were all proved builds none).
  let frame: Omit<DocumentFrame, 'municipality'> | undefined;
  const frameOnce = (): Omit<DocumentFrame, 'municipality'> =>
    (frame ??= { ...input.frame, holder: newHolderBinding(input.frame.certificateFingerprint) });
  const out: MenuItem[] = [];
  for (const item of input.menu) {
    if (!item.available) {
      out.push(item);
      continue;
    }
    const decision = decideCertificate(item.certificateType, input.context.menu);
    if (!decision.available) {
      out.push(item);
      continue;
    }
    const prints = async (options: { scope?: HouseholdScope }): Promise<boolean | undefined> => {
      const key = answerKey(item.certificateType, options.scope);
      if (answers.has(key)) return answers.get(key);
      built = true;
      const answer = await buildAndFit(options);
      answers.set(key, answer);
      return answer;
    };
    const buildAndFit = async (options: { scope?: HouseholdScope }): Promise<boolean | undefined> => {
      const certified = await certify({
        type: item.certificateType,
        options,
        allowed: decision.options,
        issuer: decision.issuer,
        context: input.context,
        frame: frameOnce(),
        repository: reads,
        registers: reads,
      });
      if (!certified.ok) {
        // Register data that makes no valid document does not print either; any other refusal
        // is issue's to make.
        return certified.error.kind === 'document-unprintable' ? false : undefined;
      }
      return input.check(certified.value).length === 0;
    };
    const scopes = item.options?.scopes;
    if (scopes) {
      const kept: HouseholdScope[] = [];
      // One build and layout per checked scope (`members` shares the answer for `self`).
      const answers = new Map<HouseholdScope, boolean | undefined>();
      for (const scope of scopes) {
        const checked: HouseholdScope = CHECKED_SCOPES.includes(scope) ? scope : 'self';
        if (!answers.has(checked)) answers.set(checked, await prints({ scope: checked }));
        if (answers.get(checked) !== false) kept.push(scope);
      }
      if (kept.length === 0) {
        out.push({ certificateType: item.certificateType, available: false, reason: 'unprintable' });
      } else {
        const options: AllowedOptions = { ...item.options, scopes: kept };
        out.push({ ...item, options });
      }
      continue;
    }
    if ((await prints({})) === false) {
      out.push({ certificateType: item.certificateType, available: false, reason: 'unprintable' });
    } else {
      out.push(item);
    }
  }
  return { menu: out, answers, built };
}

/** The proved menus and the register version read before the context was (proved-menus.ts). */
export interface MenuProofsAt {
  menus: ProvedMenus;
  registerVersion: number;
}

/**
 * The menu a sign-in answers: buildMenu's items for the context, each checked by withPrintability.
 * The kiosk service and the menus proved ahead (menu-proofs.ts) both call this, so a proof is made
 * by the sign-in's own code. With `proofs`, answers proved at this printed date and register
 * version are taken instead of building the documents, and what had to be built is remembered.
 * `registerVersion` must have been read before the context: a change in between then leaves the
 * answers under the older version, where no later sign-in looks.
 */
export async function checkedMenu(
  input: Omit<MenuPrintabilityInput, 'menu' | 'proved'> & { proofs?: MenuProofsAt },
): Promise<MenuItem[]> {
  const { proofs, ...rest } = input;
  const menu = buildMenu(input.context.menu);
  if (!proofs) return (await fitMenu({ ...rest, menu })).menu;
  const holderId = input.context.menu.resident.holderId;
  const at = { day: japanDateOf(input.frame.now), registerVersion: proofs.registerVersion };
  const proved = proofs.menus.answersAt(holderId, at);
  const fitted = await fitMenu({ ...rest, menu, ...(proved ? { proved } : {}) });
  if (fitted.built) proofs.menus.remember(holderId, at, fitted.answers);
  return fitted.menu;
}
