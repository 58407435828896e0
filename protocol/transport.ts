/**
 * The transport rules both ends of the contract apply: plain HTTP only on loopback, and never in
 * production; a production kiosk prints only over `ipps:` (or `ipp:` to a loopback print server).
 */

/** `production` refuses every plain-text transport; `development` allows it on loopback only. */
export type DeploymentMode = 'production' | 'development';

export const DEPLOYMENT_MODES: readonly DeploymentMode[] = ['production', 'development'];

/** Reads a mode setting (`KIOSK_MODE`, `CENTRE_MODE`): absent = development; anything else unknown = undefined. */
export function deploymentModeOf(value: string | undefined): DeploymentMode | undefined {
  if (value === undefined || value === '') return 'development';
  return DEPLOYMENT_MODES.find((mode) => mode === value);
}

/**
 * True for names that can only reach this machine: `localhost`, 127.0.0.0/8 and `::1` (with or
 * without URL brackets). `0.0.0.0` and `::` listen on every interface: not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
  const v4 = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(lower);
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255);
}

/** Why a transport is refused. */
export type TransportRefusal =
  | { kind: 'plain-http-off-loopback'; host: string }
  | { kind: 'plain-http-in-production' }
  | { kind: 'printer-insecure'; scheme: string; host: string }
  | { kind: 'url-invalid' };

export type TransportCheck = { ok: true } | { ok: false; refusal: TransportRefusal };

const allowed: TransportCheck = { ok: true };

/** A plain-HTTP endpoint (a centre serving, or a kiosk calling one) on `host` in `mode`. */
export function checkPlainHttp(host: string, mode: DeploymentMode): TransportCheck {
  if (mode === 'production') return { ok: false, refusal: { kind: 'plain-http-in-production' } };
  if (!isLoopbackHost(host)) return { ok: false, refusal: { kind: 'plain-http-off-loopback', host } };
  return allowed;
}

/** The kiosk's centre URL: `https:` always; `http:` only on loopback outside production. */
export function checkCentreUrl(url: string, mode: DeploymentMode): TransportCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, refusal: { kind: 'url-invalid' } };
  }
  if (parsed.protocol === 'https:') return allowed;
  if (parsed.protocol === 'http:') return checkPlainHttp(parsed.hostname, mode);
  return { ok: false, refusal: { kind: 'url-invalid' } };
}

/** The kiosk's printer URL: in production `ipps:`, or `ipp:` to a loopback print server; anything IPP elsewhere. */
export function checkPrinterUrl(url: string, mode: DeploymentMode): TransportCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, refusal: { kind: 'url-invalid' } };
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (!['ipp', 'ipps', 'http', 'https'].includes(scheme))
    return { ok: false, refusal: { kind: 'url-invalid' } };
  if (mode === 'development' || scheme === 'ipps') return allowed;
  if (scheme === 'ipp' && isLoopbackHost(parsed.hostname)) return allowed;
  return { ok: false, refusal: { kind: 'printer-insecure', scheme, host: parsed.hostname } };
}

/** One sentence for a refusal (operators read it at start-up); names TLS where TLS is the answer. */
export function describeTransportRefusal(refusal: TransportRefusal): string {
  switch (refusal.kind) {
    case 'plain-http-off-loopback':
      return `plain HTTP is refused on ${refusal.host} (not loopback): use HTTPS with mutual TLS`;
    case 'plain-http-in-production':
      return 'plain HTTP is refused in production mode: use HTTPS with mutual TLS';
    case 'printer-insecure':
      return `printer ${refusal.scheme}://${refusal.host} is refused in production mode: use ipps: (IPP over TLS) or ipp: on loopback`;
    case 'url-invalid':
      return 'the URL is not valid for this use';
  }
}
