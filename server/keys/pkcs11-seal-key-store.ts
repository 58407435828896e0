import { createHash, randomBytes } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import {
  SealKeyStoreError,
  p256SpkiFromPoint,
  type SealKeyStore,
  type StoredSealKey,
} from './seal-key-store.ts';
import {
  acquirePkcs11Module,
  releasePkcs11Module,
  slotOfToken,
  type Pkcs11ModuleConfig,
} from './pkcs11-module.ts';

/** Where the centre's seal keys are: a PKCS#11 token, found by label, opened with the user PIN. */
export interface Pkcs11TokenConfig extends Pkcs11ModuleConfig {
  tokenLabel: string;
  /** The token's user PIN: from configuration or the environment; never logged. */
  userPin: string;
}

/** DER of the named curve P-256 (OID 1.2.840.10045.3.1.7), as CKA_EC_PARAMS. */
const P256_EC_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');
const P1363_BYTES = 64;

/** CKA_EC_POINT is a DER OCTET STRING around the point (some tokens give the bare point). */
function unwrapEcPoint(value: Buffer): Uint8Array {
  if (value.length === 67 && value[0] === 0x04 && value[1] === 0x41) return new Uint8Array(value.subarray(2));
  return new Uint8Array(value);
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The seal keys in an HSM through PKCS#11 (SoftHSM2 in development and tests). Keys are generated
 * on the token as sensitive, non-extractable P-256 pairs; the centre only ever sees public keys
 * and signatures. Signing hashes with SHA-256 here and signs with CKM_ECDSA on the token (raw
 * r ‖ s, the form COSE wants).
 */
export class Pkcs11SealKeyStore implements SealKeyStore {
  readonly description: string;
  private closed = false;
  private readonly privateKeys = new Map<string, Buffer>();

  private constructor(
    private readonly pkcs11: pkcs11js.PKCS11,
    private readonly session: Buffer,
    private readonly config: Pkcs11TokenConfig,
  ) {
    this.description = `PKCS#11 token "${config.tokenLabel}" (${config.modulePath})`;
  }

  static open(config: Pkcs11TokenConfig): Pkcs11SealKeyStore {
    const pkcs11 = acquirePkcs11Module(config);
    try {
      const slot = slotOfToken(pkcs11, config.tokenLabel);
      if (!slot)
        throw new SealKeyStoreError(
          'token-not-found',
          `no initialized token labelled "${config.tokenLabel}"`,
        );
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
      try {
        pkcs11.C_Login(session, pkcs11js.CKU_USER, config.userPin);
      } catch (error) {
        const already =
          error instanceof pkcs11js.Pkcs11Error && error.code === pkcs11js.CKR_USER_ALREADY_LOGGED_IN;
        if (!already) {
          pkcs11.C_CloseSession(session);
          // The library's message names the return value only, never the PIN.
          throw new SealKeyStoreError(
            'token-login-failed',
            `token "${config.tokenLabel}": ${describeFailure(error)}`,
          );
        }
      }
      return new Pkcs11SealKeyStore(pkcs11, session, config);
    } catch (error) {
      releasePkcs11Module(config.modulePath);
      throw error;
    }
  }

  private guard<T>(what: string, action: () => T): T {
    if (this.closed) throw new SealKeyStoreError('token-failure', `${what}: the store is closed`);
    try {
      return action();
    } catch (error) {
      if (error instanceof SealKeyStoreError) throw error;
      throw new SealKeyStoreError('token-failure', `${what}: ${describeFailure(error)}`);
    }
  }

  private find(template: pkcs11js.Template): Buffer[] {
    this.pkcs11.C_FindObjectsInit(this.session, template);
    try {
      return this.pkcs11.C_FindObjects(this.session, 1000);
    } finally {
      this.pkcs11.C_FindObjectsFinal(this.session);
    }
  }

  async generate(label: string): Promise<StoredSealKey> {
    return this.guard('generate', () => {
      const provisionalId = randomBytes(8);
      const keys = this.pkcs11.C_GenerateKeyPair(
        this.session,
        { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
        [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_VERIFY, value: true },
          { type: pkcs11js.CKA_EC_PARAMS, value: P256_EC_PARAMS },
          { type: pkcs11js.CKA_LABEL, value: label },
          { type: pkcs11js.CKA_ID, value: provisionalId },
        ],
        [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_EXTRACTABLE, value: false },
          { type: pkcs11js.CKA_SIGN, value: true },
          { type: pkcs11js.CKA_LABEL, value: label },
          { type: pkcs11js.CKA_ID, value: provisionalId },
        ],
      );
      const [point] = this.pkcs11.C_GetAttributeValue(this.session, keys.publicKey, [
        { type: pkcs11js.CKA_EC_POINT },
      ]);
      const { kid, spkiDer } = p256SpkiFromPoint(unwrapEcPoint(point?.value as Buffer));
      // The kid names the key on the token too (CKA_ID), so any process finds it by kid.
      const id = [{ type: pkcs11js.CKA_ID, value: Buffer.from(kid, 'hex') }];
      this.pkcs11.C_SetAttributeValue(this.session, keys.publicKey, id);
      this.pkcs11.C_SetAttributeValue(this.session, keys.privateKey, id);
      this.privateKeys.set(kid, keys.privateKey);
      return { kid, label, publicKeySpkiDer: spkiDer };
    });
  }

  async list(): Promise<StoredSealKey[]> {
    return this.guard('list', () =>
      this.find([
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      ]).flatMap((handle) => {
        const [label, point] = this.pkcs11.C_GetAttributeValue(this.session, handle, [
          { type: pkcs11js.CKA_LABEL },
          { type: pkcs11js.CKA_EC_POINT },
        ]);
        try {
          const { kid, spkiDer } = p256SpkiFromPoint(unwrapEcPoint(point?.value as Buffer));
          return [{ kid, label: (label?.value as Buffer).toString('utf8'), publicKeySpkiDer: spkiDer }];
        } catch {
          return []; // another curve: not ours
        }
      }),
    );
  }

  private privateKeyHandle(kid: string, fresh: boolean): Buffer {
    const cached = this.privateKeys.get(kid);
    if (cached && !fresh) return cached;
    const [handle] = this.find([
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(kid, 'hex') },
    ]);
    if (!handle) throw new SealKeyStoreError('key-not-on-store', kid);
    this.privateKeys.set(kid, handle);
    return handle;
  }

  async sign(kid: string, bytes: Uint8Array): Promise<Uint8Array> {
    return this.guard('sign', () => {
      const digest = createHash('sha256').update(bytes).digest();
      const signWith = (handle: Buffer) => {
        this.pkcs11.C_SignInit(this.session, { mechanism: pkcs11js.CKM_ECDSA }, handle);
        return this.pkcs11.C_Sign(this.session, digest, Buffer.alloc(P1363_BYTES));
      };
      let signature: Buffer;
      try {
        signature = signWith(this.privateKeyHandle(kid, false));
      } catch (error) {
        if (error instanceof SealKeyStoreError) throw error;
        // A handle from before another process changed the token: look the key up again once.
        signature = signWith(this.privateKeyHandle(kid, true));
      }
      if (signature.length !== P1363_BYTES)
        throw new SealKeyStoreError('token-failure', 'signature is not 64 bytes');
      return new Uint8Array(signature);
    });
  }

  async destroy(kid: string): Promise<void> {
    this.guard('destroy', () => {
      for (const handle of this.find([{ type: pkcs11js.CKA_ID, value: Buffer.from(kid, 'hex') }]))
        this.pkcs11.C_DestroyObject(this.session, handle);
      this.privateKeys.delete(kid);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      this.pkcs11.C_CloseSession(this.session);
    } finally {
      releasePkcs11Module(this.config.modulePath);
    }
  }
}
