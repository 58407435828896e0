export type { CentreRepository } from './repository.ts';
export type * from './records.ts';
export { openSqliteRepository } from './sqliteRepository.ts';
export { loadRegister } from './seedLoader.ts';
export { MIGRATIONS, migrate } from './migrations.ts';
