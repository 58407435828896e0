import type { QueryResult, QueryResultRow } from 'pg';

/**
 * A statement the centre runs again and again, prepared once by name on each pooled connection
 * (pg sends Parse the first time a connection meets the name, then only Bind and Execute): the
 * server parses and plans it once a connection instead of once a call.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Anything that runs a query config: a pool or a client checked out of it. */
export interface Queryable {
  query<R extends QueryResultRow>(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<QueryResult<R>>;
}

export class DuplicateStatementNameError extends Error {
  readonly kind = 'duplicate-statement-name' as const;
}

const known = new Map<string, string>();

/**
 * Declares a prepared statement. A name stands for one text in the whole process: every store on
 * the pool shares its connections, and a connection refuses a name prepared with another text.
 */
export function preparedStatement(name: string, text: string): PreparedStatement {
  const existing = known.get(name);
  if (existing !== undefined && existing !== text)
    throw new DuplicateStatementNameError(`prepared statement ${name} declared twice with different text`);
  known.set(name, text);
  return { name, text };
}

/** Runs a prepared statement with these values on a pool or a checked-out client. */
export function runPrepared<R extends QueryResultRow>(
  on: Queryable,
  statement: PreparedStatement,
  values: unknown[],
): Promise<QueryResult<R>> {
  return on.query<R>({ name: statement.name, text: statement.text, values });
}
