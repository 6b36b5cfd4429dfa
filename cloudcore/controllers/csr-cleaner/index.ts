export { createCsrCleanerController } from './csr-cleaner-controller.js';
export type { CsrCleanerOptions } from './csr-cleaner-controller.js';
