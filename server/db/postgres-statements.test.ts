import { describe, expect, it } from 'vitest';
import { DuplicateStatementNameError, preparedStatement, runPrepared } from './postgres-statements.ts';

describe('prepared statements', () => {
  it('allows a name declared again with the same text, refuses it with another', () => {
    const first = preparedStatement('test.same-name', 'SELECT 1');
    expect(preparedStatement('test.same-name', 'SELECT 1')).toEqual(first);
    expect(() => preparedStatement('test.same-name', 'SELECT 2')).toThrow(DuplicateStatementNameError);
  });

  it('runs a statement as a named query config with its values', async () => {
    const seen: unknown[] = [];
    const on = {
      query: async (config: unknown) => {
        seen.push(config);
        return { rows: [], rowCount: 0, command: 'SELECT', oid: 0, fields: [] };
      },
    };
    await runPrepared(on, preparedStatement('test.run', 'SELECT $1::int'), [7]);
    expect(seen).toEqual([{ name: 'test.run', text: 'SELECT $1::int', values: [7] }]);
  });
});
