/** metav1.Status errors, as both API servers answer them. */
export { ApiError, errors, isNotFound, successStatus } from './status.js';
export type { Status, StatusCause, Target } from './status.js';
