import { describe, expect, it } from 'vitest';
import { checkCentreUrl, checkPlainHttp, deploymentModeOf, isLoopbackHost } from './transport.ts';

describe('transport rules', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['127.0.0.256', false],
    ['127.0.0.1.example.jp', false],
    ['localhost.example.jp', false],
  ] as const)('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('plain HTTP: loopback in development only', () => {
    expect(checkPlainHttp('127.0.0.1', 'development')).toEqual({ ok: true });
    expect(checkPlainHttp('0.0.0.0', 'development')).toMatchObject({
      ok: false,
      refusal: { kind: 'plain-http-off-loopback' },
    });
    expect(checkPlainHttp('127.0.0.1', 'production')).toMatchObject({
      ok: false,
      refusal: { kind: 'plain-http-in-production' },
    });
  });

  it('a centre URL must be http(s)', () => {
    expect(checkCentreUrl('ftp://127.0.0.1/', 'development')).toMatchObject({ ok: false });
    expect(checkCentreUrl('https://centre.example.jp/', 'production')).toEqual({ ok: true });
  });

  it('reads the mode: absent is development, unknown is refused', () => {
    expect(deploymentModeOf(undefined)).toBe('development');
    expect(deploymentModeOf('production')).toBe('production');
    expect(deploymentModeOf('Production')).toBeUndefined();
  });
});
