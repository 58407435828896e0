import { SerialPort } from 'serialport';
import type { ByteChannel } from './link.ts';

export type SerialOpenResult = { ok: true; channel: ByteChannel } | { ok: false; detail: string };

function openPort(
  path: string,
  baudRate: number,
): Promise<{ ok: true; port: SerialPort } | { ok: false; detail: string }> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  return new Promise((resolve) =>
    port.open((error) => {
      if (error) resolve({ ok: false, detail: error.message });
      else {
        // A line that fails (the device's end gone: EIO) must not take the kiosk host down: the
        // link hears no answer and reports the device offline, as it does for a silent device.
        port.on('error', () => undefined);
        resolve({ ok: true, port });
      }
    }),
  );
}

/** A ccTalk serial line (9600 8N1), as a real validator is reached; the simulator's pseudo-terminal too. */
export async function openSerialChannel(path: string, baudRate = 9600): Promise<SerialOpenResult> {
  const opened = await openPort(path, baudRate);
  if (!opened.ok) return opened;
  const { port } = opened;
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

export interface ReconnectOptions {
  baudRate?: number;
  /** How often a lost line is opened again (default 500 ms). */
  retryMs?: number;
}

/**
 * The kiosk's end of the payment line: like openSerialChannel, but a line that goes away (a
 * device power-cycled, a USB adapter pulled, the simulator restarted on the same path) is opened
 * again every `retryMs` until it is back. While it is away, writes go nowhere: the link hears no
 * answer and the device reports itself offline, then back online once the line answers again.
 * Only the first open must succeed.
 */
export async function openReconnectingSerialChannel(
  path: string,
  options: ReconnectOptions = {},
): Promise<SerialOpenResult> {
  const baudRate = options.baudRate ?? 9600;
  const retryMs = options.retryMs ?? 500;
  const first = await openPort(path, baudRate);
  if (!first.ok) return first;
  const listeners = new Set<(bytes: Uint8Array) => void>();
  let port: SerialPort | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const attach = (next: SerialPort) => {
    port = next;
    next.on('data', (chunk: Buffer) => {
      for (const listener of listeners) listener(new Uint8Array(chunk));
    });
    next.once('close', () => {
      if (port === next) port = undefined;
      if (!closed) scheduleReopen();
    });
  };
  const scheduleReopen = () => {
    if (closed || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      void openPort(path, baudRate).then((result) => {
        if (closed) {
          if (result.ok) result.port.close(() => undefined);
          return;
        }
        if (result.ok) attach(result.port);
        else scheduleReopen();
      });
    }, retryMs);
    retry.unref?.();
  };
  attach(first.port);

  return {
    ok: true,
    channel: {
      write: (bytes) => {
        const current = port;
        if (!current?.isOpen) return;
        current.write(Buffer.from(bytes), (error) => {
          // A write into a line whose far end is gone (EIO): drop this port and open the path again.
          if (error && port === current) {
            port = undefined;
            if (current.isOpen) current.close(() => undefined);
            scheduleReopen();
          }
        });
      },
      onData(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      close: () => {
        closed = true;
        if (retry !== undefined) clearTimeout(retry);
        retry = undefined;
        const current = port;
        port = undefined;
        return new Promise<void>((resolve) => {
          if (!current?.isOpen) resolve();
          else current.close(() => resolve());
        });
      },
    },
  };
}
