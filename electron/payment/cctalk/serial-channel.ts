import { SerialPort } from 'serialport';
import type { ByteChannel } from './link.ts';

export type SerialOpenResult = { ok: true; channel: ByteChannel } | { ok: false; detail: string };

/** A ccTalk serial line (9600 8N1), as a real validator is reached; the simulator's pseudo-terminal too. */
export async function openSerialChannel(path: string, baudRate = 9600): Promise<SerialOpenResult> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  const opened = await new Promise<Error | null>((resolve) => port.open((error) => resolve(error)));
  if (opened) return { ok: false, detail: opened.message };
  // A line that fails (the device's end gone: EIO) must not take the kiosk host down: the link
  // hears no answer and reports the device offline, as it does for a silent device.
  port.on('error', () => undefined);
  return {
    ok: true,
    channel: {
      write: (bytes) => {
        port.write(Buffer.from(bytes), () => undefined);
      },
      onData(listener) {
        const handler = (chunk: Buffer) => listener(new Uint8Array(chunk));
        port.on('data', handler);
        return () => port.off('data', handler);
      },
      close: () =>
        new Promise<void>((resolve) => {
          if (!port.isOpen) resolve();
          else port.close(() => resolve());
        }),
    },
  };
}
