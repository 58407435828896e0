/**
 * The kiosk's heartbeat to the centre: its health (no personal data — devices, supplies, the link,
 * counts), signed with the terminal's own key (the key of its mutual-TLS certificate), so a stored
 * heartbeat still proves which terminal said it. The kiosk sends one every interval over the
 * mutual-TLS link (`POST /v1/heartbeat`); the centre keeps the last one per terminal
 * (server/fleet/) and raises the alerts.
 *
 * The signature is ECDSA P-256 / SHA-256 (DER, base64) over the canonical JSON (RFC 8785) of the
 * `health` object with `terminalId` and `sentAt`.
 */
import canonicalize from 'canonicalize';
import { sign, verify } from 'node:crypto';
import { z } from 'zod';
import { TerminalIdSchema } from './api.ts';
import { terminalPublicKey } from './terminal-key.ts';

export const HEARTBEAT_PATH = '/v1/heartbeat';

/** One card reader as the kiosk sees it: no card contents, only whether one lies there. */
export const ReaderHealthSchema = z.object({
  name: z.string().max(128),
  state: z.enum(['ready', 'no-reader', 'service-down']),
  cardPresent: z.boolean(),
  lastError: z.string().max(64).nullable(),
});

/** A supply of the printer (a marker, or the paper tray): level in percent, null when unknown. */
export const SupplyLevelSchema = z.object({
  name: z.string().max(64),
  kind: z.enum(['toner', 'ink', 'paper', 'other']),
  levelPercent: z.number().int().min(0).max(100).nullable(),
});

export const PrinterHealthSchema = z.object({
  state: z.enum(['idle', 'processing', 'stopped', 'unreachable']),
  /** IPP printer-state-reasons, as the printer reports them (`none` left out). */
  reasons: z.array(z.string().max(64)).max(32),
  supplies: z.array(SupplyLevelSchema).max(16),
  /** queued-job-count; null when the printer does not say. */
  queuedJobs: z.number().int().min(0).nullable(),
});

const COIN = z.enum(['10', '50', '100', '500']);

export const PaymentHealthSchema = z.object({
  /** `not-checked`: this report could not ask the device (its serial line is held by the running host). */
  state: z.enum(['online', 'offline', 'unknown', 'not-checked']),
  faults: z.array(z.enum(['jam', 'coin-box-full', 'change-empty', 'offline'])),
  /** Coins in each change tube. */
  changeLevels: z.partialRecord(COIN, z.number().int().min(0)),
  coinBoxFull: z.boolean(),
});

export const CentreLinkHealthSchema = z.object({
  reachable: z.boolean(),
  latencyMs: z.number().int().min(0).nullable(),
  /** The centre's clock minus the kiosk's (from the answer's Date header), ms; null when unknown. */
  clockSkewMs: z.number().int().nullable(),
  /** The terminal certificate's notAfter (ISO 8601); null when the kiosk has none (plain HTTP on loopback). */
  terminalCertificateNotAfter: z.string().datetime().nullable(),
});

export const DiskHealthSchema = z.object({
  path: z.string().max(512),
  freeBytes: z.number().int().min(0),
  totalBytes: z.number().int().min(0),
});

export const VersionsSchema = z.object({
  kiosk: z.string().max(32),
  protocol: z.string().max(32),
  node: z.string().max(32),
  electron: z.string().max(32).nullable(),
});

/** A problem the kiosk sees in itself. `blocking` ones stop residents from being served. */
export const HEALTH_PROBLEMS = [
  'out-of-service-switch',
  'reader-missing',
  'reader-service-down',
  'printer-unreachable',
  'printer-out-of-paper',
  'printer-jammed',
  'printer-stopped',
  'printer-paper-low',
  'printer-toner-low',
  'payment-offline',
  'payment-jammed',
  'payment-coin-box-full',
  'payment-change-low',
  'centre-unreachable',
  'centre-slow',
  'clock-skew',
  'terminal-certificate-expiring',
  'terminal-certificate-expired',
  'disk-low',
] as const;
export type HealthProblemCode = (typeof HEALTH_PROBLEMS)[number];

export const HealthProblemSchema = z.object({
  code: z.enum(HEALTH_PROBLEMS),
  blocking: z.boolean(),
});
export type HealthProblem = z.infer<typeof HealthProblemSchema>;

export const OVERALL_HEALTH = ['healthy', 'degraded', 'out-of-service'] as const;
export type OverallHealth = (typeof OVERALL_HEALTH)[number];

export const KioskHealthSchema = z.object({
  /** When the status was collected (ISO 8601, the kiosk's clock). */
  at: z.string().datetime(),
  overall: z.enum(OVERALL_HEALTH),
  problems: z.array(HealthProblemSchema),
  /** The operator's out-of-service switch: since when, or null while in service. */
  outOfServiceSince: z.string().datetime().nullable(),
  readers: z.array(ReaderHealthSchema).max(8),
  printer: PrinterHealthSchema,
  payment: PaymentHealthSchema,
  centre: CentreLinkHealthSchema,
  disk: DiskHealthSchema.nullable(),
  versions: VersionsSchema,
});
export type KioskHealth = z.infer<typeof KioskHealthSchema>;
export type ReaderHealth = z.infer<typeof ReaderHealthSchema>;
export type PrinterHealth = z.infer<typeof PrinterHealthSchema>;
export type SupplyLevel = z.infer<typeof SupplyLevelSchema>;
export type PaymentHealth = z.infer<typeof PaymentHealthSchema>;
export type CentreLinkHealth = z.infer<typeof CentreLinkHealthSchema>;
export type DiskHealth = z.infer<typeof DiskHealthSchema>;
export type Versions = z.infer<typeof VersionsSchema>;

export const HeartbeatBodySchema = z.object({
  terminalId: TerminalIdSchema,
  /** When the kiosk sent it (ISO 8601): the centre refuses one far from its own clock or older than the last. */
  sentAt: z.string().datetime(),
  health: KioskHealthSchema,
});
export type HeartbeatBody = z.infer<typeof HeartbeatBodySchema>;

export const HeartbeatRequestSchema = HeartbeatBodySchema.extend({
  /** ECDSA P-256 SHA-256 signature (DER, base64) over `heartbeatSigningInput(body)`. */
  signature: z
    .string()
    .regex(/^[A-Za-z0-9+/]+=*$/)
    .max(200),
});
export type HeartbeatRequest = z.infer<typeof HeartbeatRequestSchema>;

export const HeartbeatResponseSchema = z.object({
  accepted: z.literal(true),
  /** The centre's clock when it took the heartbeat (ISO 8601). */
  receivedAt: z.string().datetime(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponseSchema>;

/** The bytes that are signed: the canonical JSON of the body (RFC 8785), UTF-8. */
export function heartbeatSigningInput(body: HeartbeatBody): Buffer {
  const json = canonicalize({ terminalId: body.terminalId, sentAt: body.sentAt, health: body.health });
  if (json === undefined) throw new TypeError('heartbeat cannot be canonicalized');
  return Buffer.from(json, 'utf8');
}

/** Signs a heartbeat with the terminal's private key (PEM, EC P-256). */
export function signHeartbeat(body: HeartbeatBody, terminalPrivateKeyPem: string): HeartbeatRequest {
  const signature = sign('sha256', heartbeatSigningInput(body), terminalPrivateKeyPem).toString('base64');
  return { ...body, signature };
}

export type HeartbeatSignatureCheck =
  { ok: true } | { ok: false; problem: 'signature-invalid' | 'key-unusable' };

/**
 * Checks a heartbeat's signature against the terminal certificate (DER or PEM) it came with over
 * mutual TLS: the key that signs must be the key of the certificate the connection proved.
 */
export function verifyHeartbeatSignature(
  request: HeartbeatRequest,
  terminalCertificate: Uint8Array | string,
): HeartbeatSignatureCheck {
  const key = terminalPublicKey(terminalCertificate);
  if (!key) return { ok: false, problem: 'key-unusable' };
  const { signature, ...body } = request;
  let valid: boolean;
  try {
    valid = verify('sha256', heartbeatSigningInput(body), key, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, problem: 'signature-invalid' };
}
