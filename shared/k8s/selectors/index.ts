/**
 * Label and field selectors as the Kubernetes API parses, matches and prints them.
 */
export { parseLabelSelector } from './label-parser.js';
export { labelSelectorFromObject } from './label-selector-object.js';
export {
  everythingSelector,
  formatLabelSelector,
  labelSelectorFromMap,
  matchesLabels,
  nothingSelector,
  selectorIsEmpty,
} from './label-selector.js';
export type { LabelOperator, LabelRequirement, LabelSelector } from './label-selector.js';
export {
  escapeFieldValue,
  fieldSelectorIsEmpty,
  fieldSelectorRequirements,
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
} from './field-selector.js';
export type { FieldOperator, FieldRequirement, FieldSelector } from './field-selector.js';
