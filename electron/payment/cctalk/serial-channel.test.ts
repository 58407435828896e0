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
import { openSerialChannel } from './serial-channel.ts';

const SOCAT = '/usr/bin/socat';
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

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
});
