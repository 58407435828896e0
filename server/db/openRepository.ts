import { openPostgresRepository } from './postgresRepository.ts';
import type { CentreRepository } from './repository.ts';
import { openSqliteRepository } from './sqliteRepository.ts';

/** Where the centre keeps its data: a PostgreSQL URL, or a SQLite file (`':memory:'` allowed). */
export interface DatabaseConfig {
  /** `postgres://…` or `postgresql://…`; wins over `databasePath` when both are set. */
  databaseUrl?: string;
  databasePath?: string;
}

export class DatabaseConfigError extends Error {
  readonly kind = 'database-config' as const;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** Opens (and migrates) the store the configuration names. */
export async function openCentreRepository(config: DatabaseConfig): Promise<CentreRepository> {
  if (config.databaseUrl !== undefined) {
    if (!POSTGRES_URL.test(config.databaseUrl)) {
      throw new DatabaseConfigError('databaseUrl must start with postgres:// or postgresql://');
    }
    return openPostgresRepository(config.databaseUrl);
  }
  if (config.databasePath !== undefined && config.databasePath !== '')
    return openSqliteRepository(config.databasePath);
  throw new DatabaseConfigError(
    'no database configured: set databaseUrl (postgres://…) or databasePath (SQLite)',
  );
}
