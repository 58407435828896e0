import type {
  AuthenticateRequest,
  AuthenticateResponse,
  ChallengeRequest,
  ChallengeResponse,
  DeliveryRequest,
  DeliveryResponse,
  HouseholdMembersRequest,
  HouseholdMembersResponse,
  IssueRequest,
  IssueResponse,
  KosekiRegistrationRequest,
  KosekiRegistrationResponse,
  MunicipalityKeysResponse,
} from '../protocol/api.ts';
import { issueChallenge } from './auth/challenges.ts';
import type { RevocationChecker } from './auth/revocation.ts';
import type { TrustStore } from './auth/trustStore.ts';
import { verifyAuthentication } from './auth/verifyAuthentication.ts';
import type { CentreRepository } from './db/repository.ts';
import { fail, succeed, type CentreResult } from './errors.ts';
import { recordDelivery, type DeliveryConnection } from './municipal/delivery.ts';
import { householdMembersFor } from './municipal/household-members.ts';
import { issueCertificate } from './municipal/issue.ts';
import type { SealKeyring } from './keys/seal-keyring.ts';
import { buildMenu, municipalityOpen, noticesFor } from './municipal/menu.ts';
import type { RegisterStore } from './municipal/register-store.ts';
import { checkedMenu, type PrintabilityCheck } from './municipal/printability.ts';
import type { ProvedMenus } from './municipal/proved-menus.ts';
import { fileKosekiRegistration } from './municipal/registration.ts';
import { menuContextFor } from './municipal/residentContext.ts';

/** How long an authenticated transaction may issue (the kiosk's whole session, with payment). */
export const SESSION_LIFETIME_MS = 15 * 60 * 1000;

export interface KioskServiceDeps {
  repository: CentreRepository;
  trustStore: TrustStore;
  keyring: SealKeyring;
  /** 印鑑登録, 税, 戸籍, 附票 and 利用登録 (server/municipal/register-store.ts). */
  registers: RegisterStore;
  /**
   * The real time: certificate validity, OCSP/CRL freshness, challenges, sessions, the documents'
   * issuedAt, billing. Never shifted for a demo.
   */
  now: () => Date;
  /**
   * The time service hours, closed days and maintenance windows are judged at, and nothing else.
   * Default: `now`. A demo may shift it (`npm run centre -- --demo-opening-hours`).
   */
  openingHoursNow?: () => Date;
  /** OCSP with CRL fallback for card certificates (optional: the register's list always applies). */
  revocation?: RevocationChecker;
  /** Menu items and issued documents are checked for printability (absent: not checked). */
  printability?: PrintabilityCheck;
  /**
   * Menus proved ahead (municipal/proved-menus.ts): a sign-in at the date and register version a
   * resident's answers were proved at takes them instead of building the menu's documents.
   */
  provedMenus?: ProvedMenus;
  /** Called when a delivery report is recorded (retention drops the document then). */
  onDeliveryRecorded?: (transactionId: string, outcome: DeliveryRequest['outcome']) => Promise<void>;
}

/** The kiosk API's operations, independent of HTTP: each answers a value or a typed refusal. */
export interface KioskService {
  challenge(request: ChallengeRequest): Promise<CentreResult<ChallengeResponse>>;
  authenticate(request: AuthenticateRequest): Promise<CentreResult<AuthenticateResponse>>;
  /** The household's names, only once the resident chose scope `members` (live session only). */
  householdMembers(request: HouseholdMembersRequest): Promise<CentreResult<HouseholdMembersResponse>>;
  issue(request: IssueRequest): Promise<CentreResult<IssueResponse>>;
  /**
   * Billing follows delivery: the kiosk reports delivered copies or a void. `connection` is the
   * terminal certificate the mutual-TLS handshake proved: the report must be signed by its key.
   */
  delivery(
    transactionId: string,
    request: DeliveryRequest,
    connection?: DeliveryConnection,
  ): Promise<CentreResult<DeliveryResponse>>;
  /** Every municipality's seal keys, signed by the root (cached until the keys change). */
  municipalityKeys(): Promise<CentreResult<MunicipalityKeysResponse>>;
  kosekiRegistration(request: KosekiRegistrationRequest): Promise<CentreResult<KosekiRegistrationResponse>>;
}

export function createKioskService(deps: KioskServiceDeps): KioskService {
  return {
    async challenge(request) {
      return succeed(await issueChallenge(deps.repository, request, deps.now()));
    },

    async authenticate(request) {
      const verified = await verifyAuthentication(deps, request);
      if (!verified.ok) return verified;
      const now = deps.now();
      const openingHoursAt = deps.openingHoursNow?.() ?? now;
      // Before the registers are read (printability.ts checkedMenu): the key of the proved answers.
      const proofs =
        deps.printability && deps.provedMenus
          ? { menus: deps.provedMenus, registerVersion: await deps.repository.registerVersion() }
          : undefined;
      const context = await menuContextFor(
        deps.repository,
        deps.registers,
        verified.value.holderId,
        now,
        openingHoursAt,
      );
      if (!context.ok) return context;
      const { residence } = context.value.menu;
      if (!municipalityOpen(residence, openingHoursAt)) return fail('outside-hours');
      const saved = await deps.repository.saveSession({
        transactionId: request.transactionId,
        terminalId: request.terminalId,
        holderId: verified.value.holderId,
        certificateFingerprint: verified.value.certificateFingerprint,
        caFingerprint: verified.value.caFingerprint,
        serialNumberHex: verified.value.serialNumberHex,
        authenticatedAt: now.getTime(),
        expiresAt: now.getTime() + SESSION_LIFETIME_MS,
      });
      if (saved.kind === 'bound-to-other-card')
        return fail('bad-request', 'transaction already bound to another card');
      // What the menu needs and no names: the household comes with `householdMembers`, if asked.
      const notices = noticesFor(residence, now);
      const menu = deps.printability
        ? await checkedMenu({
            context: context.value,
            frame: {
              transactionId: request.transactionId,
              certificateFingerprint: verified.value.certificateFingerprint,
              now,
            },
            repository: deps.repository,
            registers: deps.registers,
            check: deps.printability,
            ...(proofs ? { proofs } : {}),
          })
        : buildMenu(context.value.menu);
      return succeed({
        municipality: { code: residence.code, name: residence.name },
        menu,
        ...(notices.length > 0 ? { notices } : {}),
      });
    },

    async householdMembers(request) {
      return householdMembersFor(deps, request);
    },

    async issue(request) {
      return issueCertificate(deps, request);
    },

    async delivery(transactionId, request, connection) {
      return recordDelivery(deps, transactionId, request, connection);
    },

    async kosekiRegistration(request) {
      return fileKosekiRegistration(deps, request);
    },

    async municipalityKeys() {
      return succeed(await deps.keyring.publishedKeyList());
    },
  };
}
