/** The disk the kiosk writes its journal to, and the versions it runs. */
import { statfs } from 'node:fs/promises';
import { PROTOCOL_VERSION } from '../../protocol/index.ts';
import type { DiskHealth, Versions } from '../../protocol/heartbeat.ts';

export async function diskHealthOf(path: string): Promise<DiskHealth | null> {
  try {
    const stats = await statfs(path);
    return {
      path,
      freeBytes: Number(stats.bavail) * Number(stats.bsize),
      totalBytes: Number(stats.blocks) * Number(stats.bsize),
    };
  } catch {
    return null;
  }
}

/** `kioskVersion` is package.json's version (the caller reads it once). */
export function versionsOf(kioskVersion: string): Versions {
  return {
    kiosk: kioskVersion,
    protocol: PROTOCOL_VERSION,
    node: process.versions.node,
    electron: process.versions['electron'] ?? null,
  };
}
