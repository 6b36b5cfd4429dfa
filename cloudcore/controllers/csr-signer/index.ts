export { createCsrSignerController } from './csr-signer-controller.js';
export type { CsrSignerOptions } from './csr-signer-controller.js';
