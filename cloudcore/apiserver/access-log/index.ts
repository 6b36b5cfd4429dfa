export { accessLevel, createAccessLog, type AccessLog, type AccessRecord } from './access-log.js';
export { redactTarget } from './redact-target.js';
