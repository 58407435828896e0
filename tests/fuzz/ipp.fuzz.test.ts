import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import ipp from 'ipp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callIpp } from '../../electron/printer/ipp-client.ts';
import {
  failureFromPrinterReasons,
  jobProgressFromAttributes,
  keywords,
  printerStatusFromAttributes,
} from '../../electron/printer/ipp-attributes.ts';
import { checkIppFraming } from '../../electron/printer/ipp-framing.ts';
import { fuzzParameters } from './settings.ts';

/**
 * The printer's answers under hostile input: a loopback HTTP server answers each IPP request
 * with a fuzzed body (random bytes, or a valid IPP response with mutated bytes); the kiosk's IPP
 * client must give a typed result, and the attribute mappings must never throw.
 */
let answer: Buffer = Buffer.alloc(0);
let server: Server;
let printerUri: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/ipp' });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  printerUri = `ipp://127.0.0.1:${(server.address() as AddressInfo).port}/ipp/print`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const validAnswer: Buffer = ipp.serialize({
  version: '2.0',
  statusCode: 'successful-ok',
  id: 1,
  'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
  'printer-attributes-tag': {
    'printer-state': 'idle',
    'printer-state-reasons': ['media-empty-report', 'toner-low-warning'],
    'printer-name': 'kiosk',
  },
  'job-attributes-tag': {
    'job-id': 7,
    'job-state': 'completed',
    'job-state-reasons': 'job-completed-successfully',
  },
});

/** A valid answer with some bytes changed, cut short or extended. */
const mutatedAnswer = fc
  .record({
    flips: fc.array(
      fc.record({ at: fc.nat(validAnswer.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
      {
        maxLength: 6,
      },
    ),
    cut: fc.nat(validAnswer.length),
    tail: fc.uint8Array({ maxLength: 16 }),
  })
  .map(({ flips, cut, tail }) => {
    const bytes = Buffer.from(validAnswer);
    for (const { at, value } of flips) bytes[at] = value;
    return Buffer.concat([bytes.subarray(0, cut), Buffer.from(tail)]);
  });

const anyAnswer = fc.oneof(
  mutatedAnswer,
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
);

describe('IPP answers from a hostile printer', () => {
  it('give a typed result from the IPP client, never a throw or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(anyAnswer, async (body) => {
        answer = body;
        const result = await callIpp(printerUri, { operation: 'Get-Printer-Attributes', timeoutMs: 2_000 });
        if (result.ok) {
          expect(typeof result.response.statusCode).toBe('string');
          printerStatusFromAttributes(result.response.printer);
          jobProgressFromAttributes(result.response.job);
        } else {
          expect(['malformed', 'ipp-status']).toContain(result.error.kind);
        }
      }),
      fuzzParameters(200),
    );
  });

  it('map any attribute values to a printer status and job progress', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.array(fc.oneof(fc.string(), fc.integer())),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(value, value, value, value, (printerState, printerReasons, jobState, jobReasons) => {
        const status = printerStatusFromAttributes({
          'printer-state': printerState,
          'printer-state-reasons': printerReasons,
        });
        expect(['idle', 'processing', 'stopped', 'unreachable']).toContain(status.kind);
        const job = jobProgressFromAttributes({ 'job-state': jobState, 'job-state-reasons': jobReasons });
        expect(['waiting', 'completed', 'ended', 'unknown']).toContain(job.kind);
        failureFromPrinterReasons(keywords(printerReasons));
      }),
      fuzzParameters(),
    );
  });

  it('lets every well-formed answer through the framing check, and the decoder reads what it lets through', () => {
    const keyword = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/);
    const wellFormed = fc
      .record({
        id: fc.integer({ min: 1, max: 0x7fffffff }),
        name: fc.string({ unit: 'grapheme', maxLength: 60 }),
        state: fc.constantFrom('idle', 'processing', 'stopped'),
        reasons: fc.array(keyword, { minLength: 1, maxLength: 5 }),
        jobId: fc.integer({ min: 1, max: 0x7fffffff }),
        jobState: fc.constantFrom('pending', 'processing', 'completed', 'aborted', 'canceled'),
      })
      .map((a): Buffer =>
        ipp.serialize({
          version: '2.0',
          statusCode: 'successful-ok',
          id: a.id,
          'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'ja' },
          'printer-attributes-tag': {
            'printer-name': a.name,
            'printer-state': a.state,
            'printer-state-reasons': a.reasons,
          },
          'job-attributes-tag': { 'job-id': a.jobId, 'job-state': a.jobState },
        }),
      );
    fc.assert(
      fc.property(
        fc.oneof(
          wellFormed,
          mutatedAnswer,
          fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        ),
        (message) => {
          const framing = checkIppFraming(message);
          if (framing === undefined) {
            // What the check lets through, the decoder reads to the end (its loop cannot run backwards).
            const decoded = ipp.parse(message) as { id?: unknown };
            expect(typeof decoded.id).toBe('number');
          } else {
            expect(framing.offset).toBeLessThanOrEqual(message.length);
          }
        },
      ),
      fuzzParameters(150),
    );
    fc.assert(
      fc.property(wellFormed, (message) => {
        expect(checkIppFraming(message)).toBeUndefined();
      }),
      fuzzParameters(150),
    );
  });
});
