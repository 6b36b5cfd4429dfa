export { computeTemplateHash } from './template-hash.js';
