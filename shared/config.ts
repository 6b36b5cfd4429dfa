/** Config loading and printing live in shared/config/ (docs/configuration.md); this path stays for its importers. */
export * from './config/index.js';
