import { verifyKeyList, type PublishedSealKeys } from '../../protocol/seal-keys.ts';
import type { SealKeyring } from '../keys/seal-keyring.ts';
import { ROOT_KEY_LABEL } from '../keys/seal-key-store.ts';
import { SoftwareSealKeyStoreForTests } from './software-seal-key-store.ts';

/** Unit tests: a software key store (never the centre's) holding a root key, as the dev world's token does. */
export async function testSealKeyStore(): Promise<SoftwareSealKeyStoreForTests> {
  const store = new SoftwareSealKeyStoreForTests();
  await store.generate(ROOT_KEY_LABEL);
  return store;
}

/** The keyring's published list, verified against its own root: kid → key. */
export async function publishedKeysOf(keyring: SealKeyring): Promise<PublishedSealKeys> {
  const verified = verifyKeyList(await keyring.publishedKeyList(), keyring.rootPublicKeys());
  if (!verified.ok) throw new Error(`published key list does not verify: ${verified.error.kind}`);
  return verified.keys;
}

/** kid → SPKI DER of every published key, the form `verifySeal` takes. */
export async function sealPublicKeysOf(keyring: SealKeyring): Promise<Map<string, Uint8Array>> {
  return new Map([...(await publishedKeysOf(keyring)).values()].map((k) => [k.kid, k.publicKeySpkiDer]));
}
