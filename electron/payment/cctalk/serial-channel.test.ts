/**
 * The serial line when the device's end goes away (a payment simulator or a cable gone): writing
 * fails with EIO, and that must reach nobody as an unhandled 'error' (it would end the kiosk host).
 */
import { spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openReconnectingSerialChannel, openSerialChannel, type SerialOpenResult } from './serial-channel.ts';

const SOCAT = '/usr/bin/socat';
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await access(path).then(
        () => true,
        () => false,
      )
    )
      return;
    await sleep(50);
  }
  throw new Error(`${path} did not appear`);
}

/** A socat pseudo-terminal pair with fixed link names, as the payment simulator makes. */
async function startLine(device: string, kiosk: string) {
  const socat = spawn(SOCAT, [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${kiosk}`], {
    stdio: 'ignore',
  });
  const exited = new Promise((done) => socat.once('exit', done));
  await waitFor(device);
  await waitFor(kiosk);
  return {
    kill: async () => {
      socat.kill('SIGKILL');
      await exited;
    },
  };
}

function channelOf(opened: SerialOpenResult) {
  if (!opened.ok) throw new Error(opened.detail);
  return opened.channel;
}

describe('serial channel', () => {
  it('survives the other end of the line dying: writes fail quietly and the channel closes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-serial-'));
    const device = join(dir, 'device');
    const kiosk = join(dir, 'kiosk');
    const socat = spawn(SOCAT, [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${kiosk}`], {
      stdio: 'ignore',
    });
    const exited = new Promise((done) => socat.once('exit', done));
    for (let i = 0; i < 100; i++) {
      if (
        await access(kiosk).then(
          () => true,
          () => false,
        )
      )
        break;
      await sleep(50);
    }
    const opened = await openSerialChannel(kiosk);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      socat.kill('SIGKILL');
      await exited;
      for (let i = 0; i < 5; i++) {
        opened.channel.write(new Uint8Array([2, 0, 1, 254, 255]));
        await sleep(50);
      }
      await opened.channel.close();
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('the kiosk end opens the line again when the device comes back on the same path', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiosk-serial-'));
    const device = join(dir, 'device');
    const kiosk = join(dir, 'kiosk');
    let line = await startLine(device, kiosk);
    const kioskEnd = channelOf(await openReconnectingSerialChannel(kiosk, { retryMs: 50 }));
    const received: number[] = [];
    kioskEnd.onData((bytes) => received.push(...bytes));
    let deviceEnd = channelOf(await openSerialChannel(device));
    try {
      deviceEnd.write(new Uint8Array([1]));
      await expect.poll(() => received, { timeout: 5_000 }).toEqual([1]);

      // The device's end dies (the simulator killed, a cable pulled): the kiosk's writes go nowhere.
      await deviceEnd.close();
      await line.kill();
      for (let i = 0; i < 3; i++) {
        kioskEnd.write(new Uint8Array([9]));
        await sleep(30);
      }
      // …and it comes back on the same path: the kiosk end hears it again without being reopened by hand.
      line = await startLine(device, kiosk);
      deviceEnd = channelOf(await openSerialChannel(device));
      const heard: number[] = [];
      deviceEnd.onData((bytes) => heard.push(...bytes));
      await expect
        .poll(
          () => {
            kioskEnd.write(new Uint8Array([7]));
            return heard.includes(7);
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBe(true);
      deviceEnd.write(new Uint8Array([2]));
      await expect.poll(() => received, { timeout: 5_000 }).toEqual([1, 2]);
    } finally {
      await kioskEnd.close();
      await deviceEnd.close();
      await line.kill();
    }
  });
});
