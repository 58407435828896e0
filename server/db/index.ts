export type { CentreRepository } from './repository.ts';
export type * from './records.ts';
export { openSqliteRepository } from './sqliteRepository.ts';
export { openPostgresRepository, type PostgresRepositoryOptions } from './postgresRepository.ts';
export {
  openCentreRepository,
  openCentreStores,
  DatabaseConfigError,
  type CentreStores,
  type DatabaseConfig,
} from './openRepository.ts';
export { sqliteRegisterStore } from './sqliteRegisterStore.ts';
export { postgresRegisterStore } from './postgresRegisterStore.ts';
export { loadRegister, residentRecordOf } from './seedLoader.ts';
export { MIGRATIONS, migrate, migratePostgres, type Migration } from './migrations.ts';
