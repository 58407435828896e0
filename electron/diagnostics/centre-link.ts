/**
 * The link to the centre as the operator sees it: can the kiosk reach it over its mutual-TLS
 * link, how long a round trip takes, how far the kiosk's clock is from the centre's (the answer's
 * Date header), and when the terminal certificate expires.
 */
import { X509Certificate } from 'node:crypto';
import { Agent, fetch as undiciFetch } from 'undici';
import { API_PREFIX } from '../../protocol/index.ts';
import type { CentreLinkHealth } from '../../protocol/heartbeat.ts';
import type { CentreClientTls } from '../host/centre-client.ts';

/** The terminal certificate's notAfter (ISO 8601), or null when it cannot be read. */
export function certificateNotAfter(certificatePem: string): string | null {
  try {
    return new Date(new X509Certificate(certificatePem).validTo).toISOString();
  } catch {
    return null;
  }
}

/**
 * The skew from the centre's Date header (whole seconds) against the middle of the round trip;
 * null when the header is missing or unreadable.
 */
export function clockSkewOf(dateHeader: string | null, sentAt: number, receivedAt: number): number | null {
  if (dateHeader === null) return null;
  const centre = Date.parse(dateHeader);
  if (Number.isNaN(centre)) return null;
  const local = (sentAt + receivedAt) / 2;
  // The header has a resolution of one second: a skew under it is no skew.
  const skew = centre - local;
  return Math.abs(skew) < 1_000 ? 0 : Math.round(skew);
}

export interface CentreLinkProbe {
  check(): Promise<CentreLinkHealth>;
  close(): Promise<void>;
}

export interface CentreLinkOptions {
  baseUrl: string;
  tls?: CentreClientTls;
  timeoutMs?: number;
  now?: () => number;
}

/** Probes `GET /v1/health` over the same mutual-TLS link the sessions use. */
export function createCentreLinkProbe(options: CentreLinkOptions): CentreLinkProbe {
  const tls = options.tls;
  const agent = tls
    ? new Agent({
        connect: {
          cert: tls.certificatePem,
          key: tls.privateKeyPem,
          ca: tls.caPem,
          rejectUnauthorized: true,
          minVersion: 'TLSv1.2',
          ...(tls.serverName ? { servername: tls.serverName } : {}),
        },
      })
    : undefined;
  const now = options.now ?? Date.now;
  const notAfter = tls ? certificateNotAfter(tls.certificatePem) : null;
  const url = new URL(`${API_PREFIX}/health`, options.baseUrl).toString();
  return {
    async check() {
      const sentAt = now();
      try {
        const response = await undiciFetch(url, {
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
          ...(agent ? { dispatcher: agent } : {}),
        });
        const receivedAt = now();
        await response.arrayBuffer();
        return {
          reachable: response.ok,
          latencyMs: Math.max(0, Math.round(receivedAt - sentAt)),
          clockSkewMs: clockSkewOf(response.headers.get('date'), sentAt, receivedAt),
          terminalCertificateNotAfter: notAfter,
        };
      } catch {
        return {
          reachable: false,
          latencyMs: null,
          clockSkewMs: null,
          terminalCertificateNotAfter: notAfter,
        };
      }
    },
    close: async () => {
      await agent?.close();
    },
  };
}
