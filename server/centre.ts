import type { FastifyInstance } from 'fastify';
import { buildAdminApp } from './admin/admin-app.ts';
import { applyDvDecisions } from './admin/operations.ts';
import { buildConsoleApp } from './console/console-app.ts';
import type { ConsoleStore } from './console/store.ts';
import { RevocationChecker, type RevocationOptions } from './auth/revocation.ts';
import { TrustStore, normaliseSerialHex, sha256Hex } from './auth/trustStore.ts';
import type { CentreRepository } from './db/repository.ts';
import { openCentreStores } from './db/openRepository.ts';
import { loadRegister } from './db/seedLoader.ts';
import { buildCentreHttpApp, type CentreHttpOptions } from './http/app.ts';
import { createKioskService, type KioskService } from './kioskService.ts';
import { createFleet, type Fleet } from './fleet/index.ts';
import { registerHeartbeatRoute } from './fleet/heartbeat-route.ts';
import { Pkcs11SealKeyStore, type Pkcs11TokenConfig } from './keys/pkcs11-seal-key-store.ts';
import type { SealKeyStore } from './keys/seal-key-store.ts';
import { SealKeyring } from './keys/seal-keyring.ts';
import { templatePrintability, type PrintabilityCheck } from './municipal/printability.ts';
import { DEFAULT_REMEMBERED, memoisedPrintability } from './municipal/printability-cache.ts';
import { startMenuProofs, type MenuProofs } from './municipal/menu-proofs.ts';
import { createProvedMenus, type ProvedMenus } from './municipal/proved-menus.ts';
import type { RegisterStore } from './municipal/register-store.ts';
import type { OneTimePasswordStore } from './pin-reset/one-time-passwords.ts';
import { registerPinResetRoutes } from './pin-reset/reset-routes.ts';
import { createPinResetService, type PinResetSettings } from './pin-reset/reset-service.ts';
import { loadFaceModel } from './phone/face-model.ts';
import { buildPhoneApp, PHONE_PAGE_PATH, type PhoneApp } from './phone/phone-app.ts';
import { createPhoneService, type PhoneOptions } from './phone/phone-service.ts';
import {
  purgeDeliveredDocument,
  startRetentionJob,
  type RetentionJob,
  type RetentionOptions,
} from './municipal/retention.ts';
import { buildSeedRegisters, loadSeedWorld } from './seed/index.ts';
import { centreTlsContextOptions, type CentreTlsOptions } from './tls/serverTls.ts';
import { TerminalCrlWatcher, trackTlsConnections, type TerminalCrlStatus } from './tls/terminalCrl.ts';
import type { Server as TlsServer } from 'node:tls';
import type { SeedWorld } from './seed/types.ts';
import { checkPlainHttp, describeTransportRefusal, type DeploymentMode } from '../protocol/transport.ts';

/** Which resident an authentication certificate belongs to: keyed by (issuing CA, serial). */
export interface CertificateRegistration {
  /** DER of the CA certificate that issued it (generations share a DN, so the CA itself is the key). */
  caCertificateDer: Uint8Array;
  /** Hex, any case, leading zeros allowed. */
  serialNumberHex: string;
  holderId: string;
}

export interface RevokedCertificate {
  caCertificateDer: Uint8Array;
  serialNumberHex: string;
}

export interface CentreOptions {
  /** SQLite file (':memory:' allowed); used when no databaseUrl is given. */
  databasePath?: string;
  /** PostgreSQL (`postgres://…`): several centre processes may share one database. */
  databaseUrl?: string;
  /** DER JPKI CA certificates for user authentication (several generations). */
  trustedCaCertificates: Uint8Array[];
  certificateRegistry: CertificateRegistration[];
  revokedSerialNumbers?: RevokedCertificate[];
  /**
   * Where the municipal seal keys and the root that signs the key list live: a PKCS#11 token
   * (opened and closed with the centre), or a store the caller opened and closes. Every
   * municipality without a usable key gets one generated on it at start.
   */
  sealKeys: { pkcs11: Pkcs11TokenConfig } | { store: SealKeyStore };
  /** Validity of a new seal key (default two years; it rotates after half). */
  sealKeyLifetimeMs?: number;
  /** The register to load (upserted on every start; rules changed through the admin API are kept); defaults to the seed world. */
  world?: SeedWorld;
  /**
   * Whether each menu item and issued document would print on the kiosk's form (default: the
   * certificate templates' own check, certificate-templates/printable.ts, on this machine's fonts).
   */
  printability?: PrintabilityCheck;
  /**
   * Prove every loaded resident's menu ahead (municipal/menu-proofs.ts): today's when the centre
   * starts, each new day's just after midnight in Japan; a sign-in whose documents were proved
   * takes the answer instead of fitting them. Default off: tests start many short-lived centres.
   */
  menuProofs?: boolean;
  /**
   * The real time, for everything signed or checked: card and CA certificate validity, OCSP/CRL
   * freshness, challenges, sessions, seal-key validity, the documents' issuedAt, billing and
   * retention. Default: the system clock. Tests fix it (the test world's certificates have
   * validity windows); a demo never shifts it.
   */
  now?: () => Date;
  /**
   * The time service hours, closed days and maintenance windows are judged at, and nothing else.
   * Default: `now`. A demo outside office hours may shift it (scripts/dev/clock.ts,
   * `npm run centre -- --demo-opening-hours`).
   */
  openingHoursNow?: () => Date;
  logger?: CentreHttpOptions['logger'];
  /** HTTPS with mutual TLS (server certificate, terminal CA, its CRL). Absent = plain HTTP (tests, loopback tools). */
  tls?: CentreTlsOptions;
  /** How long undelivered documents are kept and how often the purge job runs (`municipal/retention.ts`). */
  retention?: RetentionOptions;
  /** `production` refuses plain HTTP everywhere (and requires a revocation policy); default `development`. */
  mode?: DeploymentMode;
  /**
   * JPKI revocation: the explicit policy (responder, nonce, maximum age, CRL fallback), each decision
   * logged per request. Required in production; absent elsewhere = only the register's own list.
   */
  revocation?: RevocationOptions;
  /**
   * PIN reset at the kiosk (issue 11, server/pin-reset/): the master key the cards' reset keys
   * derive from and the mode (`password`, or `bound-card` — the live service's: no typed password).
   * Absent: no reset routes.
   */
  pinReset?: PinResetSettings;
  /**
   * The PIN reset's phone endpoints (/v1/phone/…) and page (/phone/), server/phone: on a listener
   * of their own (`centre.phone`, `startCentre({ phoneListener })`), never on the kiosks'
   * mutual-TLS one; absent: not served.
   */
  phone?: PhoneOptions;
}

/** The municipalities' admin API (server/admin/), served by `startCentre` on loopback only. */
export interface CentreAdminOptions {
  /** Port 0 (default) = ephemeral. */
  port?: number;
  /** Bearer token per municipality code; a municipality without one cannot use the admin API. */
  tokens: Readonly<Record<string, string>>;
}

/**
 * The phone's listener (server/phone/phone-app.ts): the PIN reset's page and endpoints for
 * phones, which have no terminal certificate. HTTPS with the centre's server certificate and no
 * client certificate when the centre has `tls`, else plain HTTP (loopback, like the kiosk API).
 */
export interface CentrePhoneListenerOptions {
  /** Default: the kiosk API's host. */
  host?: string;
  /** Port 0 (default) = ephemeral. */
  port?: number;
  /** The bundled page (scripts/phone/page-bundle.ts); absent: the endpoints only, no page. */
  pageScript?: string;
}

/** The municipal console (server/console/), served by `startCentre` on loopback only. */
export interface CentreConsoleOptions {
  /** Port 0 (default) = ephemeral. */
  port?: number;
  /** Secure cookies (behind HTTPS); default false on the loopback listener. */
  secureCookies?: boolean;
}

export interface Centre {
  app: FastifyInstance;
  service: KioskService;
  repository: CentreRepository;
  /** The municipal registers (印鑑, 税, 戸籍, 附票, 利用登録); the admin API changes them. */
  registers: RegisterStore;
  /** PIN reset grants (issue 11): issued after the phone's face check, redeemed at the kiosk. */
  oneTimePasswords: OneTimePasswordStore;
  /**
   * The phone's app (page and /v1/phone/…), not listening: server-TLS only with the centre's
   * server certificate when `tls` is set, else plain HTTP. Present when `phone` is set.
   */
  phone?: PhoneApp;
  /** The purge job for issued documents (retention); `runNow()` for tests and tools. */
  retention: RetentionJob;
  /** The menus proved ahead, with `menuProofs` (`firstRound`: today's, started with the centre). */
  menuProofs?: MenuProofs;
  /** The residents' proved answers the sign-ins take, with `menuProofs`. */
  provedMenus?: ProvedMenus;
  /** The terminal CRL followed from `tls.terminalCrlFile` (absent without one). */
  terminalCrl?: { status(): TerminalCrlStatus; reload(): Promise<TerminalCrlStatus> };
  /** The seal keys: signer per municipality, the root-signed published list, rotation, revocation. */
  keyring: SealKeyring;
  /** The kiosks' last heartbeats and the alerts they raise (server/fleet/). */
  fleet: Fleet;
  /** The municipal console's users, sessions, audit trail and DV decisions (same database). */
  consoleStore: ConsoleStore;
  close(): Promise<void>;
}

/** Room kept for one proved resident's menu: about nine documents, with some to spare. */
const ANSWERS_PER_PROVED_MENU = 12;
/**
 * The residents a round of menu proofs takes: at most 20,000 (240,000 answers, some 40 MB kept);
 * beyond them sign-ins check their menus as without proofs. A larger municipality's centre would
 * keep the answers in its database.
 */
const MAX_PROVED_RESIDENTS = 20_000;

function menuProofHolders(world: SeedWorld): string[] {
  return world.residents.slice(0, MAX_PROVED_RESIDENTS).map((r) => r.holderId);
}

/** Builds the centre (store, register, trust, keys, HTTP app) without listening. */
export async function createCentre(opts: CentreOptions): Promise<Centre> {
  if (opts.mode === 'production' && opts.revocation === undefined)
    throw new CentreConfigurationError(
      'production needs an explicit revocation policy (OCSP responder, nonce, maximum age, CRL fallback)',
    );
  const now = opts.now ?? (() => new Date());
  const {
    repository,
    registers,
    oneTimePasswords,
    fleet: fleetStore,
    console: consoleStore,
  } = await openCentreStores(opts);
  let ownStore: SealKeyStore | undefined;
  try {
    const world = opts.world ?? loadSeedWorld();
    await loadRegister(repository, world, now().getTime());
    // The database is the authoritative register: abolitions and 利用登録 decisions survive restarts.
    await registers.load(buildSeedRegisters(world));
    // The municipalities' DV decisions (console) win over the loaded register's flag.
    await applyDvDecisions(repository, consoleStore);
    await repository.registerCertificates(
      opts.certificateRegistry.map((entry) => ({
        caFingerprint: sha256Hex(entry.caCertificateDer),
        serialNumberHex: normaliseSerialHex(entry.serialNumberHex),
        holderId: entry.holderId,
      })),
    );
    for (const revoked of opts.revokedSerialNumbers ?? []) {
      await repository.revokeCertificate(
        sha256Hex(revoked.caCertificateDer),
        normaliseSerialHex(revoked.serialNumberHex),
        now().getTime(),
      );
    }
    const trustStore = new TrustStore(opts.trustedCaCertificates);
    // The app (and its logger) is built after the service: decisions are logged through it.
    const built: { app?: FastifyInstance } = {};
    const log = { info: (fields: object, message: string) => built.app?.log.info(fields, message) };
    if ('pkcs11' in opts.sealKeys) ownStore = Pkcs11SealKeyStore.open(opts.sealKeys.pkcs11);
    const store = ownStore ?? ('store' in opts.sealKeys ? opts.sealKeys.store : undefined);
    if (!store) throw new TypeError('sealKeys: a PKCS#11 token or a key store');
    const keyring = await SealKeyring.open({
      repository,
      store,
      now,
      ...(opts.sealKeyLifetimeMs === undefined ? {} : { keyLifetimeMs: opts.sealKeyLifetimeMs }),
    });
    // Proved ahead, a day's answers are kept for the residents a round proves (menuProofHolders).
    const provedHolders = opts.menuProofs ? menuProofHolders(world) : [];
    const printability =
      opts.printability ??
      memoisedPrintability(
        templatePrintability,
        Math.max(DEFAULT_REMEMBERED, provedHolders.length * ANSWERS_PER_PROVED_MENU),
      );
    // Each proved resident's answers, taken by a sign-in at the same date and register version.
    const provedMenus = opts.menuProofs ? createProvedMenus(MAX_PROVED_RESIDENTS) : undefined;
    const service = createKioskService({
      repository,
      trustStore,
      keyring,
      registers,
      now,
      ...(opts.openingHoursNow ? { openingHoursNow: opts.openingHoursNow } : {}),
      printability,
      ...(provedMenus ? { provedMenus } : {}),
      // Retention: a delivered (or voided) document is not kept; ids, hashes and billing stay.
      onDeliveryRecorded: async (transactionId) => {
        await purgeDeliveredDocument(repository, transactionId, now().getTime());
      },
      ...(opts.revocation
        ? {
            revocation: new RevocationChecker({
              ...opts.revocation,
              onDecision: (decision) => log.info(decision, 'revocation decision'),
            }),
          }
        : {}),
    });
    let crlWatcher: TerminalCrlWatcher | undefined;
    const app = buildCentreHttpApp(service, {
      ...(opts.logger === undefined ? {} : { logger: opts.logger }),
      ...(opts.tls ? { tls: opts.tls } : {}),
      healthDetails: () => {
        const crl = crlWatcher?.status();
        return crl ? { terminalCrl: crl } : {};
      },
    });
    built.app = app;
    if (opts.pinReset)
      registerPinResetRoutes(
        app,
        createPinResetService({
          repository,
          oneTimePasswords,
          // The 4-digit PIN's reset: the card proven by its signing key (the 署名用 CAs are the phone's).
          trustStore,
          ...(opts.revocation
            ? {
                revocation: new RevocationChecker({
                  ...opts.revocation,
                  onDecision: (decision) => log.info(decision, 'revocation decision'),
                }),
              }
            : {}),
          ...(opts.phone ? { signingCaCertificates: opts.phone.signingCaCertificates } : {}),
          settings: opts.pinReset,
          now,
          log: (fields) => app.log.info(fields, 'pin reset decision'),
        }),
      );
    const phone = opts.phone
      ? buildPhoneApp({
          service: createPhoneService({
            repository,
            trustStore,
            ...(opts.revocation
              ? {
                  revocation: new RevocationChecker({
                    ...opts.revocation,
                    onDecision: (decision) => log.info(decision, 'revocation decision'),
                  }),
                }
              : {}),
            oneTimePasswords,
            now,
            options: opts.phone,
            faceModel: loadFaceModel,
            log: { info: (fields, message) => app.log.info(fields, message) },
          }),
          ...(opts.tls
            ? { https: { certificatePem: opts.tls.certificatePem, privateKeyPem: opts.tls.privateKeyPem } }
            : {}),
          allowLoopbackCardBridge: opts.mode !== 'production',
          now,
          ...(opts.phone.attemptLimits ? { attemptLimits: opts.phone.attemptLimits } : {}),
          ...(opts.phone.trustProxy ? { trustProxy: opts.phone.trustProxy } : {}),
          ...(opts.logger === undefined ? {} : { logger: opts.logger }),
        })
      : undefined;
    registerHeartbeatRoute(app, fleetStore, () => now().getTime());
    const tls = opts.tls;
    if (tls?.terminalCrlFile) {
      const server = app.server as unknown as TlsServer;
      crlWatcher = new TerminalCrlWatcher({
        path: tls.terminalCrlFile,
        terminalCaPem: tls.terminalCaPem,
        apply: (crlPem) =>
          server.setSecureContext(centreTlsContextOptions({ ...tls, terminalCrlPem: crlPem })),
        openConnections: trackTlsConnections(server),
        // The real time, as OpenSSL judges the CRL at each handshake (never a demo clock).
        log: app.log,
        ...(tls.terminalCrlRefreshMs === undefined ? {} : { refreshMs: tls.terminalCrlRefreshMs }),
        ...(tls.terminalCrlWarnBeforeMs === undefined ? {} : { warnBeforeMs: tls.terminalCrlWarnBeforeMs }),
      });
      const first = await crlWatcher.start();
      if (first.state === 'unusable' || first.state === 'expired') {
        crlWatcher.close();
        await app.close();
        throw new CentreConfigurationError(
          `the terminal CRL ${tls.terminalCrlFile} is ${first.state === 'expired' ? 'expired' : `not usable (${first.problem})`}: revoked kiosks could connect`,
        );
      }
    }
    const watcher = crlWatcher;
    const retention = startRetentionJob(repository, opts.retention ?? {}, now, app.log);
    const menuProofs = opts.menuProofs
      ? startMenuProofs(
          {
            repository,
            registers,
            check: printability,
            ...(provedMenus ? { proved: provedMenus } : {}),
            now,
            log: (fields, message) => app.log.info(fields, message),
          },
          provedHolders,
        )
      : undefined;
    return {
      app,
      service,
      repository,
      registers,
      oneTimePasswords,
      ...(phone ? { phone } : {}),
      retention,
      ...(menuProofs ? { menuProofs } : {}),
      ...(provedMenus ? { provedMenus } : {}),
      ...(watcher ? { terminalCrl: { status: () => watcher.status(), reload: () => watcher.reload() } } : {}),
      keyring,
      fleet: createFleet(fleetStore, { now: () => now().getTime() }),
      consoleStore,
      async close() {
        retention.stop();
        await menuProofs?.close();
        watcher?.close();
        await phone?.app.close();
        await app.close();
        await repository.close();
        await ownStore?.close();
      },
    };
  } catch (error) {
    await repository.close();
    await ownStore?.close();
    throw error;
  }
}

const ADMIN_HOST = '127.0.0.1';

/** The centre refused to start: its configuration would serve kiosks insecurely. */
export class CentreConfigurationError extends Error {
  override readonly name = 'CentreConfigurationError';
}

/**
 * Refuses a kiosk API that would speak plain HTTP off loopback, or at all in production: without
 * TLS there is no terminal authentication and `terminalId` would be only a body field.
 */
export function checkCentreTransport(opts: {
  host?: string;
  tlsConfigured: boolean;
  mode?: DeploymentMode;
}): void {
  if (opts.tlsConfigured) return;
  const check = checkPlainHttp(opts.host ?? '127.0.0.1', opts.mode ?? 'development');
  if (!check.ok) throw new CentreConfigurationError(describeTransportRefusal(check.refusal));
}

function listeningPort(app: FastifyInstance, fallback: number | undefined): number | undefined {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

/**
 * Starts the centre: HTTPS with mutual TLS when `tls` is given, else plain HTTP on loopback only
 * and never in production (`CentreConfigurationError`). Port 0
 * = ephemeral. With `admin`, the admin API also listens (plain HTTP, on 127.0.0.1 only, whatever
 * `host` is) on the same registers and repository; `adminUrl` is its base URL.
 */
export async function startCentre(
  opts: CentreOptions & {
    host?: string;
    port?: number;
    admin?: CentreAdminOptions;
    console?: CentreConsoleOptions;
    phoneListener?: CentrePhoneListenerOptions;
  },
): Promise<{
  url: string;
  adminUrl?: string;
  consoleUrl?: string;
  /** The phone page's URL (…/phone/) when `phoneListener` was given and the centre serves `phone`. */
  phoneUrl?: string;
  close(): Promise<void>;
  centre: Centre;
}> {
  checkCentreTransport({
    tlsConfigured: opts.tls !== undefined,
    ...(opts.host === undefined ? {} : { host: opts.host }),
    ...(opts.mode === undefined ? {} : { mode: opts.mode }),
  });
  // The phone listener speaks plain HTTP only where the kiosk API may (loopback, never production).
  if (opts.phoneListener?.host !== undefined)
    checkCentreTransport({
      host: opts.phoneListener.host,
      tlsConfigured: opts.tls !== undefined,
      ...(opts.mode === undefined ? {} : { mode: opts.mode }),
    });
  const centre = await createCentre(opts);
  const host = opts.host ?? '127.0.0.1';
  const phone = opts.phoneListener ? centre.phone : undefined;
  if (phone && opts.phoneListener?.pageScript) phone.servePage(opts.phoneListener.pageScript);
  const phoneHost = opts.phoneListener?.host ?? host;
  const admin = opts.admin
    ? buildAdminApp({
        repository: centre.repository,
        registers: centre.registers,
        keyring: centre.keyring,
        tokens: opts.admin.tokens,
        store: centre.consoleStore,
        ...(opts.now ? { now: opts.now } : {}),
      })
    : undefined;
  const consoleApp = opts.console
    ? buildConsoleApp({
        repository: centre.repository,
        registers: centre.registers,
        store: centre.consoleStore,
        fleet: centre.fleet,
        ...(opts.now ? { now: opts.now } : {}),
        ...(opts.console.secureCookies === undefined ? {} : { secureCookies: opts.console.secureCookies }),
      })
    : undefined;
  const close = async () => {
    await consoleApp?.close();
    await admin?.close();
    await centre.close();
  };
  try {
    await centre.app.listen({ host, port: opts.port ?? 0 });
    await admin?.listen({ host: ADMIN_HOST, port: opts.admin?.port ?? 0 });
    await consoleApp?.listen({ host: ADMIN_HOST, port: opts.console?.port ?? 0 });
    await phone?.app.listen({ host: phoneHost, port: opts.phoneListener?.port ?? 0 });
  } catch (error) {
    await close();
    throw error;
  }
  const port = listeningPort(centre.app, opts.port);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  const scheme = opts.tls ? 'https' : 'http';
  return {
    url: `${scheme}://${hostForUrl}:${port}`,
    ...(admin ? { adminUrl: `http://${ADMIN_HOST}:${listeningPort(admin, opts.admin?.port)}` } : {}),
    ...(consoleApp
      ? { consoleUrl: `http://${ADMIN_HOST}:${listeningPort(consoleApp, opts.console?.port)}/console/` }
      : {}),
    ...(phone
      ? {
          phoneUrl: `${scheme}://${phoneHost.includes(':') ? `[${phoneHost}]` : phoneHost}:${listeningPort(phone.app, opts.phoneListener?.port)}${PHONE_PAGE_PATH}`,
        }
      : {}),
    close,
    centre,
  };
}
