export { isSecretEntry, isSecretName, looksLikeSecretValue, secretKindOf } from './secret-rule.js';
export {
  makeRedactor,
  MIN_SECRET_LENGTH,
  redactDeep,
  REDACTED,
  secretValuesOf,
  type Redactor,
} from './redactor.js';
export { TOKEN_SHAPES, type TokenShape } from './token-shapes.js';
