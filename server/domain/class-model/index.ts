// Public API of the CI class model: types, parsing/queries, attribute validation and the YAML loader.
export * from './types';
export { ClassModelError, parseClassModel } from './class-model';
export {
  formatRedundancy, isIpAddress, parseRedundancy, tryParseRedundancy, validateAttributes,
  type AttributeError, type ValidateAttributesOptions, type ValidateAttributesResult,
} from './validate-attributes';
export { DEFAULT_CLASS_MODEL_PATH, loadClassModel } from './load-class-model';
