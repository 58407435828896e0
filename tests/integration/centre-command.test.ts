/** `npm run centre` refuses an insecure transport before it starts anything. */
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../support/run-command.ts';

describe('npm run centre', () => {
  it.each([
    ['plain HTTP on every interface', ['--host', '0.0.0.0', '--plain-http']],
    ['plain HTTP in production mode, even on loopback', ['--plain-http', '--production']],
  ])('refuses %s, naming TLS', async (_name, args) => {
    const result = await runNpmScript('centre', [...args, '--port', '0', '--admin-port', '0']);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.stderr).toMatch(/centre refused to start: plain HTTP .*TLS/);
    expect(result.stdout).not.toMatch(/^Centre: /m);
  });

  it('documents the demo opening-hours flag in --help, and that signed or checked times stay real', async () => {
    const result = await runNpmScript('centre', ['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--demo-opening-hours/);
    expect(result.stdout).toMatch(/always use the real time/);
    expect(result.stdout).not.toMatch(/^Centre: /m);
  });
});
