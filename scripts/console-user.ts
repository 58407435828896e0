/**
 * `npm run console-user -- --municipality CODE --login NAME --role admin [--database-url URL |
 * --database-path FILE]`: creates a console user in the centre's database — the first
 * administrator of a municipality in production, where no development users are seeded, or (with
 * `--role operator`, no municipality) the centre's fleet operator. The password is read twice from
 * stdin, never from the command line (where it would stay in the shell's history); a weak one is
 * refused; the creation is audited. The database defaults to CENTRE_DATABASE_URL.
 */
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openCentreStores } from '../server/db/openRepository.ts';
import { provisionConsoleUser, type ProvisionFailure } from '../server/console/provision-user.ts';
import { fail } from './cli-common.ts';

const USAGE =
  'usage: npm run console-user -- --municipality CODE --login NAME --role ROLE [--database-url URL | --database-path FILE] (the password is read twice from stdin)';

function explain(failure: ProvisionFailure): string {
  switch (failure.kind) {
    case 'unknown-role':
      return 'the role is one of viewer, editor, dv-officer, auditor, admin, operator';
    case 'unknown-municipality':
      return 'no such municipality in this centre (--municipality CODE; not needed for operator)';
    case 'passwords-differ':
      return 'the two passwords differ';
    case 'too-short':
      return 'the password is at least 12 characters';
    case 'too-long':
      return 'the password is at most 256 characters';
    case 'weak-password':
      return failure.reason === 'contains-login'
        ? 'the password must not contain the login'
        : 'the password is too simple (at least 6 different characters)';
    case 'bad-login':
      return 'the login is 3–64 characters: a-z, 0-9, . _ @ -';
    case 'login-taken':
      return 'this login exists already';
  }
}

async function readTwoLines(): Promise<[string, string]> {
  const lines = createInterface({ input: process.stdin });
  const answers: string[] = [];
  for await (const line of lines) {
    answers.push(line.replace(/\r$/, ''));
    if (answers.length === 2) break;
  }
  lines.close();
  return [answers[0] ?? '', answers[1] ?? ''];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      municipality: { type: 'string' },
      login: { type: 'string' },
      role: { type: 'string' },
      'database-url': { type: 'string' },
      'database-path': { type: 'string' },
    },
    strict: true,
  });
  if (!values.login || !values.role) fail(USAGE, 2);
  const databaseUrl = values['database-url'] ?? process.env.CENTRE_DATABASE_URL;
  const databasePath = values['database-path'];
  if (!databaseUrl && !databasePath)
    fail(`${USAGE}\n(no database: --database-url, --database-path or CENTRE_DATABASE_URL)`, 2);
  if (process.stdin.isTTY) process.stderr.write('password, then the same again (one line each):\n');
  const [password, confirmation] = await readTwoLines();
  const stores = await openCentreStores({
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(databasePath ? { databasePath } : {}),
  });
  try {
    const result = await provisionConsoleUser(stores.console, stores.repository, {
      municipalityCode: values.municipality,
      login: values.login,
      role: values.role,
      password,
      confirmation,
      actor: `cli:${userInfo().username}`,
      now: Date.now(),
    });
    if (!result.ok) fail(explain(result.failure), 2);
    console.log(
      `console user ${values.login} (${values.role}) created for ${result.municipalityCode}; audited`,
    );
  } finally {
    await stores.repository.close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
