import { TOKEN_SHAPES } from './token-shapes.js';

/**
 * Names (env variables, config keys) that hold secrets. `TOKENS` (a count, e.g. MAX_TOKENS)
 * and `AUTHOR` are not secrets; neither is a name that says it holds a location
 * (`…_FILE`, `…_PATH`, `…_DIR`, `…_SOCK`), e.g. GITHUB_TOKEN_FILE or SSH_AUTH_SOCK.
 */
const SECRET_NAME =
  /TOKEN(?!S(?:$|_))|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|API_?KEY|AUTH(?!OR)|COOKIE|(?:^|_)PASS(?:$|_)|_PWD$|(?:^|_)KEY(?:$|_)|SIGNING/i;
const LOCATION_NAME = /_(?:FILE|PATH|DIR|SOCK)$/i;

/** Whether an env variable or config key of this name holds a secret (e.g. GITHUB_TOKEN, SIGNING_KEY, DB_PASS). */
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name) && !LOCATION_NAME.test(name);

/** What kind of credential `value` contains (`a GitHub token`, …), or undefined when none. */
export const secretKindOf = (value: string): string | undefined =>
  TOKEN_SHAPES.find((s) => {
    s.pattern.lastIndex = 0;
    return s.pattern.test(value);
  })?.kind;

/** Whether `value` contains a well-known credential shape, whatever name it is stored under. */
export const looksLikeSecretValue = (value: string): boolean => secretKindOf(value) !== undefined;

/** Whether the variable is a secret, by its name or by its value. */
export const isSecretEntry = (name: string, value: string): boolean =>
  isSecretName(name) || looksLikeSecretValue(value);
