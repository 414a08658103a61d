import { K3scError } from '../../core/errors.js';

/** A config file that cannot be used; the message lists every problem with its path. */
export class ConfigInvalidError extends K3scError {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
    readonly warnings: readonly string[] = [],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super('config_invalid', `config ${source} has ${count}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
