export { issueChallenge, CHALLENGE_LIFETIME_MS } from './challenges.ts';
export {
  verifyAuthentication,
  JPKI_AUTH_POLICY_OID,
  type AuthenticatedHolder,
  type AuthVerifierDeps,
} from './verifyAuthentication.ts';
export { TrustStore, normaliseSerialHex, sha256Hex, type TrustedCa } from './trustStore.ts';
