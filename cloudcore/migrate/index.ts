export { migrateSqliteCluster, type MigrateOptions } from './migrate-sqlite.js';
export { copyStore, type CopyOptions, type CopySummary } from './copy-store.js';
