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
export { keyIdFor } from './municipal/keyring.ts';
