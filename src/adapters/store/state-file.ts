import type { Adapter } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { K3scError } from '../../core/errors.js';
import { errorText } from './error-text.js';
import { describeZodIssues } from './describe-zod-issues.js';
import { STATE_FILE_VERSION, stateDocumentSchema, type StateDocument } from './state-document.js';

const LEAVE_IT = 'k3sc did not change it; fix it or move it aside to start empty.';

const corrupt = (message: string, cause?: unknown): K3scError =>
  new K3scError('state_corrupt', message, cause === undefined ? undefined : { cause });

const declaredVersion = (raw: unknown): unknown =>
  typeof raw === 'object' && raw !== null && 'version' in raw ? raw.version : undefined;

/** Checks a parsed state file; throws `state_corrupt` with the file path and the first problems. */
export const parseStateDocument = (raw: unknown, path: string): StateDocument => {
  const version = declaredVersion(raw);
  if (typeof version === 'number' && version > STATE_FILE_VERSION) {
    throw corrupt(
      `state file ${path} has version ${version}, but this k3sc reads version ${STATE_FILE_VERSION} only; ` +
        'it was written by a newer k3sc. Upgrade k3sc, or point data_dir at another directory. k3sc did not change it.',
    );
  }
  const parsed = stateDocumentSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = describeZodIssues(parsed.error.issues).map((p) => `  - ${p}`);
  throw corrupt(
    [`state file ${path} does not match the expected schema:`, ...problems, LEAVE_IT].join('\n'),
    parsed.error,
  );
};

/**
 * lowdb's JSONFile adapter (atomic writes: temp file + rename) with validation on read.
 * `read` returns null when the file does not exist; it never writes.
 */
export class StateFileAdapter implements Adapter<StateDocument> {
  readonly #file: JSONFile<unknown>;

  constructor(readonly path: string) {
    this.#file = new JSONFile<unknown>(path);
  }

  async read(): Promise<StateDocument | null> {
    let raw: unknown;
    try {
      raw = await this.#file.read();
    } catch (err) {
      if (err instanceof SyntaxError)
        throw corrupt(`state file ${this.path} is not valid JSON (${err.message}). ${LEAVE_IT}`, err);
      throw new K3scError('unavailable', `cannot read state file ${this.path}: ${errorText(err)}`, {
        cause: err,
      });
    }
    return raw === null ? null : parseStateDocument(raw, this.path);
  }

  async write(doc: StateDocument): Promise<void> {
    try {
      await this.#file.write(doc);
    } catch (err) {
      throw new K3scError('unavailable', `cannot write state file ${this.path}: ${errorText(err)}`, {
        cause: err,
      });
    }
  }
}
