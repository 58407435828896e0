/**
 * pcscd with the vpcd virtual reader for an integration test file. The integration project's
 * global setup already starts it; this returns a handle that stops it only if it started it here.
 * Fails loudly, naming the Debian package, when a part is missing.
 */
import { describeServiceError, startPcscd } from '../../scripts/system/services.ts';

export interface PcscdHandle {
  /** True when this call started pcscd (and stop() will end it). */
  started: boolean;
  stop(): Promise<void>;
}

export async function ensurePcscd(): Promise<PcscdHandle> {
  const pcscd = await startPcscd();
  if (!pcscd.ok) throw new Error(describeServiceError(pcscd.error));
  return { started: pcscd.value.startedByUs, stop: pcscd.value.stop };
}
