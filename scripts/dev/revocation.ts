import type { RevocationPolicy } from '../../server/auth/revocation.ts';
import { startLiveOcspResponder } from './ocsp-live-responder.ts';
import type { DevWorld } from './world.ts';

/**
 * The dev world's revocation policy: the test responder answers live (a fresh nonce, thisUpdate
 * now), so every answer must echo its nonce and be at most 2 minutes old (Web eID's default); the
 * CA's CRL decides only when the responder cannot be reached.
 */
export function liveResponderPolicy(service: { ocspUrl: string; crlBaseUrl: string }): RevocationPolicy {
  return {
    ocspUrl: service.ocspUrl,
    nonce: 'required',
    maxThisUpdateAgeMs: 2 * 60_000,
    crlFallback: { crlBaseUrl: service.crlBaseUrl },
  };
}

/**
 * The test JPKI CA's revocation service for the dev world: an OCSP responder (and the CRLs it
 * serves) for every CA generation, with the world's revoked cards revoked, on the centre's clock.
 * Each CA signs its own answers (ocsp-live-responder.ts: fixed parts encoded once, every answer
 * signed fresh over its request's nonce).
 */
export async function startWorldRevocation(
  world: DevWorld,
  now: () => Date,
): Promise<{ ocspUrl: string; crlBaseUrl: string; close(): Promise<void> }> {
  const ocsp = await startLiveOcspResponder({
    authorities: [...world.cas.values()].map((ca) => ca.auth),
    now,
  });
  for (const entry of world.manifest.revoked) {
    const ca = world.cas.get(entry.generation);
    if (ca) ocsp.revoke(ca.auth, entry.serialNumberHex);
  }
  return { ocspUrl: ocsp.ocspUrl, crlBaseUrl: ocsp.crlBaseUrl, close: () => ocsp.close() };
}
