import pkcs11js from 'pkcs11js';

/**
 * One loaded, initialized PKCS#11 module per library path and process. A PKCS#11 library is
 * initialized once per process, so every store and the token set-up share it; it is finalized when
 * the last user releases it. SoftHSM2 reads its configuration file (SOFTHSM2_CONF) when it is
 * initialized: a module already running with another configuration is refused.
 */
export interface Pkcs11ModuleConfig {
  /** The PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so. */
  modulePath: string;
  /** SoftHSM2 only: its configuration file, given to the library as SOFTHSM2_CONF. */
  softhsmConfPath?: string;
}

export const SOFTHSM2_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

interface LoadedModule {
  pkcs11: pkcs11js.PKCS11;
  softhsmConfPath: string | undefined;
  users: number;
}

const loaded = new Map<string, LoadedModule>();

export class Pkcs11ModuleError extends Error {
  override readonly name = 'Pkcs11ModuleError';
}

export function acquirePkcs11Module(config: Pkcs11ModuleConfig): pkcs11js.PKCS11 {
  const existing = loaded.get(config.modulePath);
  if (existing) {
    if (existing.softhsmConfPath !== config.softhsmConfPath) {
      throw new Pkcs11ModuleError(
        `${config.modulePath} already runs with another configuration in this process`,
      );
    }
    existing.users += 1;
    return existing.pkcs11;
  }
  if (config.softhsmConfPath !== undefined) process.env['SOFTHSM2_CONF'] = config.softhsmConfPath;
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(config.modulePath);
  try {
    pkcs11.C_Initialize();
  } catch (error) {
    pkcs11.close();
    throw error;
  }
  loaded.set(config.modulePath, { pkcs11, softhsmConfPath: config.softhsmConfPath, users: 1 });
  return pkcs11;
}

export function releasePkcs11Module(modulePath: string): void {
  const entry = loaded.get(modulePath);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  loaded.delete(modulePath);
  try {
    entry.pkcs11.C_Finalize();
  } finally {
    entry.pkcs11.close();
  }
}

/** The slot holding the initialized token with this label. */
export function slotOfToken(pkcs11: pkcs11js.PKCS11, tokenLabel: string): Buffer | undefined {
  for (const slot of pkcs11.C_GetSlotList(true)) {
    const info = pkcs11.C_GetTokenInfo(slot);
    if (
      (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0 &&
      info.label.replace(/[\s\0]+$/, '') === tokenLabel
    )
      return slot;
  }
  return undefined;
}
