import { postgresFleetStore, sqliteFleetStore, type FleetStore } from '../fleet/fleet-store.ts';
import { postgresConsoleStore } from '../console/postgres-store.ts';
import { sqliteConsoleStore } from '../console/sqlite-store.ts';
import type { ConsoleStore } from '../console/store.ts';
import type { PersistentRegisterStore } from '../municipal/register-store.ts';
import type { OneTimePasswordStore } from '../pin-reset/one-time-passwords.ts';
import { postgresOneTimePasswordStore } from '../pin-reset/postgres-one-time-passwords.ts';
import { sqliteOneTimePasswordStore } from '../pin-reset/sqlite-one-time-passwords.ts';
import { postgresRegisterStore } from './postgresRegisterStore.ts';
import { openPostgresPool, openPostgresRepository, postgresRepositoryOn } from './postgresRepository.ts';
import type { CentreRepository } from './repository.ts';
import { sqliteRegisterStore } from './sqliteRegisterStore.ts';
import { openSqliteDatabase, openSqliteRepository, sqliteRepositoryOn } from './sqliteRepository.ts';

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

type Target = { kind: 'postgres'; url: string } | { kind: 'sqlite'; path: string };

function targetOf(config: DatabaseConfig): Target {
  if (config.databaseUrl !== undefined) {
    if (!POSTGRES_URL.test(config.databaseUrl)) {
      throw new DatabaseConfigError('databaseUrl must start with postgres:// or postgresql://');
    }
    return { kind: 'postgres', url: config.databaseUrl };
  }
  if (config.databasePath !== undefined && config.databasePath !== '')
    return { kind: 'sqlite', path: config.databasePath };
  throw new DatabaseConfigError(
    'no database configured: set databaseUrl (postgres://…) or databasePath (SQLite)',
  );
}

/** Opens (and migrates) the store the configuration names. */
export async function openCentreRepository(config: DatabaseConfig): Promise<CentreRepository> {
  const target = targetOf(config);
  return target.kind === 'postgres' ? openPostgresRepository(target.url) : openSqliteRepository(target.path);
}

/** The centre's repository and the municipal registers on one database connection (pool). */
export interface CentreStores {
  /** `repository.close()` closes the database, for both. */
  repository: CentreRepository;
  registers: PersistentRegisterStore;
  /** The PIN reset grants and their one-time passwords (issue 11). */
  oneTimePasswords: OneTimePasswordStore;
  /** The fleet's last heartbeat per terminal (server/fleet/). */
  fleet: FleetStore;
  /** The municipal console's users, sessions, audit trail and DV decisions (migration 10). */
  console: ConsoleStore;
}

/** Opens (and migrates) the database the configuration names, with the repository and the registers on it. */
export async function openCentreStores(config: DatabaseConfig): Promise<CentreStores> {
  const target = targetOf(config);
  if (target.kind === 'postgres') {
    const pool = await openPostgresPool(target.url);
    return {
      repository: postgresRepositoryOn(pool),
      registers: postgresRegisterStore(pool),
      oneTimePasswords: postgresOneTimePasswordStore(pool),
      fleet: postgresFleetStore(pool),
      console: postgresConsoleStore(pool),
    };
  }
  const db = openSqliteDatabase(target.path);
  return {
    repository: sqliteRepositoryOn(db),
    registers: sqliteRegisterStore(db),
    oneTimePasswords: sqliteOneTimePasswordStore(db),
    fleet: sqliteFleetStore(db),
    console: sqliteConsoleStore(db),
  };
}
