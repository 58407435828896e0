export {
  startCentre,
  createCentre,
  type Centre,
  type CentreOptions,
  type CertificateRegistration,
  type RevokedCertificate,
} from './centre.ts';
export { loadSeedWorld, cardListRows, isValidMunicipalityCode } from './seed/index.ts';
export type * from './seed/types.ts';
export { sealKeyIdFor as keyIdFor } from '../protocol/seal-keys.ts';
export { SealKeyring } from './keys/seal-keyring.ts';
export { Pkcs11SealKeyStore, type Pkcs11TokenConfig } from './keys/pkcs11-seal-key-store.ts';
export type { SealKeyStore } from './keys/seal-key-store.ts';
