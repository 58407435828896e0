import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEALTH_PROBLEMS,
  HeartbeatRequestSchema,
  signHeartbeat,
  verifyHeartbeatSignature,
  type HeartbeatBody,
  type KioskHealth,
} from '../../protocol/heartbeat.ts';
import { createDevPki, type TerminalCredentials } from '../../scripts/dev-pki.ts';
import { bytes, fuzzParameters } from './settings.ts';

/**
 * The kiosk's signed heartbeat (protocol/heartbeat.ts) under hostile input: the schema never
 * throws, every heartbeat a terminal signs verifies under its own certificate after the trip
 * through JSON and under no other, and no heartbeat changed in any single value still verifies.
 */
let dir: string;
let first: TerminalCredentials;
let second: TerminalCredentials;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fuzz-heartbeat-'));
  const pki = await createDevPki({
    outDir: join(dir, 'pki'),
    terminals: [{ terminalId: 'S0001-T01' }, { terminalId: 'S0002-T01' }],
  });
  first = pki.terminals.get('S0001-T01')!;
  second = pki.terminals.get('S0002-T01')!;
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const instant = fc
  .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const text = (max: number) => fc.string({ unit: 'grapheme', maxLength: max });
const percent = fc.option(fc.integer({ min: 0, max: 100 }), { nil: null });

const healthArb: fc.Arbitrary<KioskHealth> = fc.record({
  at: instant,
  overall: fc.constantFrom('healthy', 'degraded', 'out-of-service'),
  problems: fc.array(fc.record({ code: fc.constantFrom(...HEALTH_PROBLEMS), blocking: fc.boolean() }), {
    maxLength: 4,
  }),
  outOfServiceSince: fc.option(instant, { nil: null }),
  readers: fc.array(
    fc.record({
      name: text(20),
      state: fc.constantFrom('ready', 'no-reader', 'service-down'),
      cardPresent: fc.boolean(),
      lastError: fc.option(text(20), { nil: null }),
    }),
    { maxLength: 2 },
  ),
  printer: fc.record({
    state: fc.constantFrom('idle', 'processing', 'stopped', 'unreachable'),
    reasons: fc.array(text(20), { maxLength: 3 }),
    supplies: fc.array(
      fc.record({
        name: text(20),
        kind: fc.constantFrom('toner', 'ink', 'paper', 'other'),
        levelPercent: percent,
      }),
      { maxLength: 3 },
    ),
    queuedJobs: fc.option(fc.nat(), { nil: null }),
  }),
  payment: fc.record({
    state: fc.constantFrom('online', 'offline', 'unknown', 'not-checked'),
    faults: fc.array(fc.constantFrom('jam', 'coin-box-full', 'change-empty', 'offline'), { maxLength: 2 }),
    changeLevels: fc.record({ '10': fc.nat(), '100': fc.nat() }, { requiredKeys: [] }),
    coinBoxFull: fc.boolean(),
  }),
  centre: fc.record({
    reachable: fc.boolean(),
    latencyMs: fc.option(fc.nat(), { nil: null }),
    clockSkewMs: fc.option(fc.integer({ min: -1e9, max: 1e9 }), { nil: null }),
    terminalCertificateNotAfter: fc.option(instant, { nil: null }),
  }),
  disk: fc.option(fc.record({ path: text(30), freeBytes: fc.nat(), totalBytes: fc.nat() }), { nil: null }),
  versions: fc.record({
    kiosk: text(10),
    protocol: text(10),
    node: text(10),
    electron: fc.option(text(10), { nil: null }),
  }),
});

const bodyArb: fc.Arbitrary<HeartbeatBody> = fc.record({
  terminalId: fc.constant('S0001-T01'),
  sentAt: instant,
  health: healthArb,
});

/** Every leaf of a JSON value with its path. */
function leaves(value: unknown, path: (string | number)[] = []): Array<(string | number)[]> {
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, [...path, Array.isArray(value) ? Number(k) : k]),
    );
  return [path];
}

/** The value with the leaf at `path` changed to a different value of the same kind. */
function changedAt(value: unknown, path: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  const leaf = parent[key];
  // The signature changes in its first character: base64 without its '=' padding decodes to the
  // same bytes (the same signature over the same body, which rightly still verifies).
  if (key === 'signature' && typeof leaf === 'string')
    parent[key] = (leaf[0] === 'A' ? 'B' : 'A') + leaf.slice(1);
  else if (typeof leaf === 'string') parent[key] = leaf.length > 0 ? leaf.slice(0, -1) : 'x';
  else if (typeof leaf === 'number') parent[key] = leaf + 1;
  else if (typeof leaf === 'boolean') parent[key] = !leaf;
  else parent[key] = 0;
  return copy;
}

describe('signed heartbeats under hostile input', () => {
  it('verify under the signing terminal’s certificate after a trip through JSON, and under no other', () => {
    fc.assert(
      fc.property(bodyArb, (body) => {
        const sent = JSON.parse(JSON.stringify(signHeartbeat(body, first.privateKeyPem))) as unknown;
        const received = HeartbeatRequestSchema.parse(sent);
        expect(verifyHeartbeatSignature(received, first.certificatePem)).toEqual({ ok: true });
        expect(verifyHeartbeatSignature(received, second.certificatePem)).toEqual({
          ok: false,
          problem: 'signature-invalid',
        });
      }),
      fuzzParameters(100),
    );
  });

  it('never verify once any single value is changed', () => {
    fc.assert(
      fc.property(bodyArb, fc.nat(), (body, pick) => {
        const signed = signHeartbeat(body, first.privateKeyPem);
        const paths = leaves(signed);
        const changed = HeartbeatRequestSchema.safeParse(changedAt(signed, paths[pick % paths.length]!));
        if (!changed.success) return; // the centre refuses it before looking at the signature
        expect(verifyHeartbeatSignature(changed.data, first.certificatePem)).toEqual({
          ok: false,
          problem: 'signature-invalid',
        });
      }),
      fuzzParameters(100),
    );
  });

  it('parse any JSON to a request or issues and check any certificate bytes without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          bodyArb.map((b) => ({ ...b, signature: 'AAAA' })),
        ),
        bytes(200),
        (value, certificate) => {
          const parsed = HeartbeatRequestSchema.safeParse(value);
          if (!parsed.success) {
            expect(parsed.error.issues.length).toBeGreaterThan(0);
            return;
          }
          expect(verifyHeartbeatSignature(parsed.data, certificate)).toEqual({
            ok: false,
            problem: 'key-unusable',
          });
          expect(verifyHeartbeatSignature(parsed.data, first.certificatePem)).toEqual({
            ok: false,
            problem: 'signature-invalid',
          });
        },
      ),
      fuzzParameters(100),
    );
  });
});
