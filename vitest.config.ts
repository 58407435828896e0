import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests beside the code (parallel), seeded fuzzing (tests/fuzz), and integration tests in tests/
// that share one started stack (pcscd + vpcd, ippeveprinter, centre) and run one file at a time,
// because the virtual reader has one slot.
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{electron,renderer,native,certificate-templates,server,protocol,scripts}/**/*.test.{ts,tsx}',
          ],
          environment: 'node',
          // Generous limits: some unit suites start real centres, SoftHSM tokens or PostgreSQL,
          // which take seconds on a busy 2-core machine. A limit here is a hang guard, not a speed test.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // Property-based fuzzing of every parser that reads outside input: a small seeded run
        // here, long runs with `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED).
        test: {
          name: 'fuzz',
          include: ['tests/fuzz/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/fuzz/**'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
