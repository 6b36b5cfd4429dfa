/** The labels edged marks and finds its sandboxes and containers by (defined once, in podspec). */
import { ANNOTATIONS, LABELS } from '../podspec/index.js';

export { ANNOTATIONS, LABELS };

/** The value of LABELS.managedBy on everything edged creates; nothing without it is ever touched. */
export const MANAGED_BY_EDGED = 'edged';

export const managedSelector = (): Record<string, string> => ({ [LABELS.managedBy]: MANAGED_BY_EDGED });

export const podSelector = (uid: string): Record<string, string> => ({ [LABELS.managedBy]: MANAGED_BY_EDGED, [LABELS.podUid]: uid });
