import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { K3scError } from '../core/errors.js';
import type { K3scConfig } from '../adapters/config/index.js';
import { addUser, removeUser } from './web/users-file.js';

const ROLES = ['viewer', 'operator', 'admin'] as const;

/** One line typed without echo (a TTY), asked `times` times and compared. */
const promptHidden = async (
  input: NodeJS.ReadableStream,
  write: (s: string) => void,
  ask: string,
): Promise<string> => {
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input, output: muted, terminal: true });
  try {
    write(ask);
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    write('\n');
    return line;
  } finally {
    rl.close();
  }
};

/** The first line of stdin when it is a pipe (`echo "$PASSWORD" | k3sc web user add alice`). */
const readFirstLine = async (input: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
};

export interface WebUserIo {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/**
 * `k3sc web user add NAME [--role R]` / `k3sc web user remove NAME`: the local users of the
 * dashboard in `web.users_file`. The password comes from a prompt (twice, not echoed) or the
 * first line of stdin — never from an argument, so it stays out of shell history and `ps`.
 */
export const webUserCommand = async (
  config: K3scConfig,
  cmd: { action: 'add' | 'remove'; name: string; role?: string; json?: boolean },
  io: WebUserIo,
): Promise<void> => {
  const file = config.web?.usersFile;
  if (!file) throw new K3scError('config_invalid', 'no web section in the config');
  const say = (data: Record<string, unknown>, text: string): void =>
    io.out(cmd.json ? `${JSON.stringify(data)}\n` : `${text}\n`);
  if (cmd.action === 'remove') {
    const removed = await removeUser(file, cmd.name);
    if (!removed) throw new K3scError('not_found', `no web user ${cmd.name} in ${file}`);
    say({ removed: cmd.name, file }, `removed web user ${cmd.name} from ${file}`);
    return;
  }
  const role = cmd.role;
  if (role !== undefined && !(ROLES as readonly string[]).includes(role))
    throw new K3scError('bad_input', `--role must be one of ${ROLES.join(', ')} (got "${role}")`);
  let password: string;
  if (io.input.isTTY === true) {
    password = await promptHidden(io.input, io.err, `password for ${cmd.name}: `);
    const again = await promptHidden(io.input, io.err, 'again: ');
    if (again !== password) throw new K3scError('bad_input', 'the two passwords differ; nothing was saved');
  } else password = await readFirstLine(io.input);
  const result = await addUser(file, {
    name: cmd.name,
    password,
    ...(role ? { role: role as (typeof ROLES)[number] } : {}),
  });
  say(
    { [result]: cmd.name, role: role ?? null, file },
    `${result} web user ${cmd.name}${role ? ` (${role})` : ''} in ${file}${role ? '' : '; their role comes from rbac (default viewer)'}`,
  );
};
