import type { Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
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
 * lowdb's TextFile adapter (atomic writes: temp file + rename) with JSON and validation on
 * read. `read` returns null only when the file does not exist (never for a file holding JSON
 * `null`, which is corrupt like any other wrong content); it never writes.
 */
export class StateFileAdapter implements Adapter<StateDocument> {
  readonly #file: TextFile;

  constructor(readonly path: string) {
    this.#file = new TextFile(path);
  }

  async read(): Promise<StateDocument | null> {
    let text: string | null;
    try {
      text = await this.#file.read();
    } catch (err) {
      throw new K3scError('unavailable', `cannot read state file ${this.path}: ${errorText(err)}`, {
        cause: err,
      });
    }
    if (text === null) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw corrupt(`state file ${this.path} is not valid JSON (${errorText(err)}). ${LEAVE_IT}`, err);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw corrupt(
        `state file ${this.path} holds ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not a state document (an object with version, attempts, leases and dispatch). ${LEAVE_IT}`,
      );
    return parseStateDocument(raw, this.path);
  }

  async write(doc: StateDocument): Promise<void> {
    try {
      await this.#file.write(JSON.stringify(doc, null, 2));
    } catch (err) {
      throw new K3scError('unavailable', `cannot write state file ${this.path}: ${errorText(err)}`, {
        cause: err,
      });
    }
  }
}
