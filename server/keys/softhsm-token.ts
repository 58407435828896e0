import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pkcs11js from 'pkcs11js';
import type { Pkcs11TokenConfig } from './pkcs11-seal-key-store.ts';
import {
  SOFTHSM2_MODULE,
  Pkcs11ModuleError,
  acquirePkcs11Module,
  releasePkcs11Module,
  slotOfToken,
} from './pkcs11-module.ts';

/**
 * Development and tests: a SoftHSM2 token of its own in `dir` (its configuration file
 * `dir/softhsm2.conf`, given to SoftHSM as SOFTHSM2_CONF, and its objects under `dir/tokens/`),
 * initialized with a label, a security officer PIN and the user PIN the centre logs in with.
 * Done through PKCS#11 itself (C_InitToken, C_InitPIN), so no PIN appears on a command line.
 */
export interface SoftHsmTokenOptions {
  dir: string;
  tokenLabel: string;
  userPin: string;
  soPin: string;
  modulePath?: string;
}

export function softHsmTokenConfig(opts: {
  dir: string;
  tokenLabel: string;
  userPin: string;
  modulePath?: string;
}): Pkcs11TokenConfig {
  return {
    modulePath: opts.modulePath ?? SOFTHSM2_MODULE,
    softhsmConfPath: join(opts.dir, 'softhsm2.conf'),
    tokenLabel: opts.tokenLabel,
    userPin: opts.userPin,
  };
}

export async function createSoftHsmToken(opts: SoftHsmTokenOptions): Promise<Pkcs11TokenConfig> {
  const config = softHsmTokenConfig(opts);
  await mkdir(join(opts.dir, 'tokens'), { recursive: true, mode: 0o700 });
  await writeFile(
    config.softhsmConfPath as string,
    [
      `directories.tokendir = ${join(opts.dir, 'tokens')}`,
      'objectstore.backend = file',
      'log.level = ERROR',
      'slots.removable = false',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const pkcs11 = acquirePkcs11Module(config);
  try {
    if (slotOfToken(pkcs11, opts.tokenLabel))
      throw new Pkcs11ModuleError(`token "${opts.tokenLabel}" already exists`);
    const free = pkcs11
      .C_GetSlotList(true)
      .find((slot) => (pkcs11.C_GetTokenInfo(slot).flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0);
    if (!free) throw new Pkcs11ModuleError('SoftHSM2 has no free slot');
    // PKCS#11 labels are 32 bytes, blank padded.
    pkcs11.C_InitToken(free, opts.soPin, opts.tokenLabel.padEnd(32, ' '));
    // SoftHSM2 moves an initialized token to a slot of its own: find it again by label.
    const slot = slotOfToken(pkcs11, opts.tokenLabel);
    if (!slot) throw new Pkcs11ModuleError(`token "${opts.tokenLabel}" did not appear`);
    const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      pkcs11.C_Login(session, pkcs11js.CKU_SO, opts.soPin);
      pkcs11.C_InitPIN(session, opts.userPin);
      pkcs11.C_Logout(session);
    } finally {
      pkcs11.C_CloseSession(session);
    }
  } finally {
    releasePkcs11Module(config.modulePath);
  }
  return config;
}
