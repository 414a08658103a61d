/** The runner's view of the one secrets rule, which lives in core (src/core/secrets). */
export {
  makeRedactor,
  MIN_SECRET_LENGTH,
  redactDeep,
  REDACTED,
  secretValuesOf,
  type Redactor,
} from '../core/secrets/index.js';
