/**
 * Sends the kiosk's signed heartbeat to the centre over the mutual-TLS link, now and then every
 * `intervalMs`. A heartbeat that does not go through is not queued: the next one carries the newer
 * health, and the centre's silence alert covers the gap.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import {
  HEARTBEAT_PATH,
  HeartbeatResponseSchema,
  signHeartbeat,
  type KioskHealth,
} from '../../protocol/heartbeat.ts';
import type { CentreClientTls } from '../host/centre-client.ts';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 60_000;

export type HeartbeatOutcome =
  { ok: true; receivedAt: string } | { ok: false; problem: 'unreachable' | 'refused'; status?: number };

export interface HeartbeatSender {
  /** Collects the health and sends one heartbeat now. */
  sendNow(): Promise<HeartbeatOutcome>;
  /** The outcome of the last heartbeat, if one was sent. */
  last(): HeartbeatOutcome | undefined;
  close(): Promise<void>;
}

export interface HeartbeatSenderOptions {
  baseUrl: string;
  tls: CentreClientTls;
  terminalId: string;
  collect: () => Promise<KioskHealth>;
  /** 0 = no timer (tests, `npm run diagnose`). */
  intervalMs?: number;
  now?: () => Date;
  timeoutMs?: number;
}

export function createHeartbeatSender(options: HeartbeatSenderOptions): HeartbeatSender {
  const agent = new Agent({
    connect: {
      cert: options.tls.certificatePem,
      key: options.tls.privateKeyPem,
      ca: options.tls.caPem,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(options.tls.serverName ? { servername: options.tls.serverName } : {}),
    },
  });
  const url = new URL(HEARTBEAT_PATH, options.baseUrl).toString();
  const now = options.now ?? (() => new Date());
  let last: HeartbeatOutcome | undefined;
  let sending: Promise<HeartbeatOutcome> | undefined;

  async function send(): Promise<HeartbeatOutcome> {
    const health = await options.collect();
    const request = signHeartbeat(
      { terminalId: options.terminalId, sentAt: now().toISOString(), health },
      options.tls.privateKeyPem,
    );
    try {
      const response = await undiciFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        dispatcher: agent,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const body: unknown = await response.json().catch(() => undefined);
      const parsed = HeartbeatResponseSchema.safeParse(body);
      if (!response.ok || !parsed.success) return { ok: false, problem: 'refused', status: response.status };
      return { ok: true, receivedAt: parsed.data.receivedAt };
    } catch {
      return { ok: false, problem: 'unreachable' };
    }
  }

  function sendNow(): Promise<HeartbeatOutcome> {
    // One at a time: a slow centre never piles heartbeats up.
    sending ??= send()
      .catch((): HeartbeatOutcome => ({ ok: false, problem: 'unreachable' }))
      .then((outcome) => {
        last = outcome;
        sending = undefined;
        return outcome;
      });
    return sending;
  }

  const intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  const timer = intervalMs > 0 ? setInterval(() => void sendNow(), intervalMs) : undefined;
  timer?.unref();
  if (timer) void sendNow();
  return {
    sendNow,
    last: () => last,
    async close() {
      if (timer) clearInterval(timer);
      await sending;
      await agent.close();
    },
  };
}
