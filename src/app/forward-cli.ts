import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveConfigPath } from '../adapters/config/config-path.js';
import { K3scError } from '../core/errors.js';
import { makeRedactor } from '../core/secrets/redactor.js';
import { readControlFile, type ControlInfo } from './control-file.js';
import { printReply, runRemoteCommand } from './remote-command.js';
import { inlineTemplateFile } from './template-file-arg.js';

/**
 * The CLI's lean start-up path. When a `serve` owns the data dir, a table command is forwarded
 * to it after loading only this file, node:http, commander with the command grammar (the table's
 * names, arguments and flags, without handlers or zod) and, when the config file sets `data_dir`
 * in a form the line reader below does not take, the YAML parser. No Octokit, lowdb, pino, zod
 * or config pipeline: loading those is what made a forwarded call cost ~0.4-0.85 s of CPU. Whenever anything is unusual (no serve, help, a parse error, a config it cannot read
 * simply) it returns undefined and main() handles the command exactly as before.
 */

export interface ForwardIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly signal?: AbortSignal;
}

const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);
/** Commands main() defines itself, and commander's own `help`: never forwarded. */
const OWN_COMMANDS = new Set(['serve', 'demo', 'config', 'help', 'build-lock']);
/** A config file this big (or not a regular file) is left to main(), which reports it. */
const MAX_CONFIG_BYTES = 1024 * 1024;

interface Scanned {
  readonly command: string;
  readonly config?: string;
}

/** The command name and `--config`, or undefined when argv holds anything this path leaves to main(). */
export const scanArgv = (argv: readonly string[]): Scanned | undefined => {
  let config: string | undefined;
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (['-h', '--help', '-V', '--version', '--'].includes(a)) return undefined;
    if (a === '-c' || a === '--config') {
      config = argv[++i];
      if (config === undefined) return undefined;
    } else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else if (/^-c./.test(a)) config = a.slice(2);
    else if (a === '--log-level' || a.startsWith('--log-level=')) {
      const level = a === '--log-level' ? argv[++i] : a.slice('--log-level='.length);
      if (level === undefined || !LOG_LEVELS.has(level)) return undefined;
    } else if (command === undefined) {
      if (a.startsWith('-')) return undefined;
      command = a;
    }
  }
  if (command === undefined || OWN_COMMANDS.has(command) || config === '') return undefined;
  return { command, ...(config === undefined ? {} : { config }) };
};

const errnoCode = (err: unknown): unknown =>
  typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;

/** `data_dir: <value>` at the start of a line, then optionally whitespace and a `# comment`. */
const DATA_DIR_LINE =
  /^data_dir:[ \t]+("[^"\\\n]*"|'[^'\n]*'|[A-Za-z_./~+-][\w./~+-]*)(?:[ \t]+#.*)?[ \t]*$/m;
/** Plain scalars YAML reads as something other than a string. */
const NOT_A_STRING = /^(~|null|true|false|yes|no|on|off|[-+]?\.(inf|nan))$/i;

/**
 * The common case read without the YAML parser: one `data_dir:` line at the top level whose
 * value is a path-like plain scalar or a quoted string without escapes. Anything else (and any
 * second mention of data_dir) returns undefined, and the YAML parser decides.
 */
export const simpleDataDir = (text: string): string | undefined => {
  if (text.indexOf('data_dir') !== text.lastIndexOf('data_dir')) return undefined;
  const raw = DATA_DIR_LINE.exec(text)?.[1];
  if (raw === undefined) return undefined;
  const value = /^["']/.test(raw) ? raw.slice(1, -1) : raw;
  if (/^["']/.test(raw) ? value.trim() === '' : NOT_A_STRING.test(value)) return undefined;
  return value.trim();
};

/** The data dir the config pipeline would find (same file lookup, same `data_dir` resolution). */
export const findDataDir = async (
  config: string | undefined,
  io: Pick<ForwardIo, 'env' | 'homeDir'>,
): Promise<string | undefined> => {
  const fromEnv = io.env['K3SC_CONFIG']?.trim();
  const explicit = config ?? (fromEnv ? fromEnv : undefined);
  const file = explicit === undefined ? join(io.homeDir, '.k3sc.yaml') : resolve(explicit);
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_CONFIG_BYTES) return undefined;
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT' || explicit !== undefined) return undefined;
    text = '';
  }
  const fallback = join(io.homeDir, '.k3sc');
  if (!text.includes('data_dir')) return fallback;
  const simple = simpleDataDir(text);
  if (simple !== undefined) return resolveConfigPath(simple, io.homeDir, dirname(file));
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return undefined;
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || !('data_dir' in data)) return fallback;
  const dir = data.data_dir;
  if (typeof dir !== 'string' || dir.trim() === '') return undefined;
  return resolveConfigPath(dir.trim(), io.homeDir, dirname(file));
};

interface Parsed {
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/**
 * Parses argv with commander and the command grammar, building the arguments exactly as
 * addTableCommand (src/bot/program.ts) does; undefined on any complaint. The arguments are not
 * checked here: the serve runs every command through the table's zod schema and answers a bad
 * one with the same message and exit code a local check would give.
 */
export const parseForwardable = async (
  argv: readonly string[],
  config: string | undefined,
): Promise<Parsed | undefined> => {
  const [{ Command }, { COMMAND_GRAMMAR }] = await Promise.all([
    import('commander'),
    import('./command-grammar.js'),
  ]);
  let parsed: Parsed | undefined;
  const silent = (): void => undefined;
  // Output and exit settings first: commander copies them into each subcommand as it is added.
  const program = new Command('k3sc')
    .exitOverride()
    .configureOutput({ writeOut: silent, writeErr: silent })
    .option('-c, --config <file>')
    .option('--log-level <level>', '', 'warn');
  for (const g of COMMAND_GRAMMAR) {
    // CLI-only commands (deploy, rotate-secrets) stay unknown here, so main() runs them locally.
    if (g.local === true) continue;
    const cmd = program.command(g.name);
    for (const a of g.args) cmd.argument(a);
    for (const o of g.options) cmd.option(o);
    cmd.option('--json');
    cmd.action((...received: unknown[]) => {
      const args: Record<string, unknown> = {};
      g.args.forEach((a, i) => {
        const v = received[i];
        // `<title...>` (variadic) arrives as a list and is joined, as addTableCommand does.
        if (v !== undefined) args[a.slice(1, -1).replace(/\.\.\.$/, '')] = Array.isArray(v) ? v.join(' ') : v;
      });
      parsed = { name: g.name, args: Object.assign(args, cmd.opts()) };
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch {
    return undefined;
  }
  return parsed && program.opts<{ config?: string }>().config === config ? parsed : undefined;
};

/** The running serve and the parsed command, when this call can be forwarded. */
const plan = async (
  argv: readonly string[],
  io: ForwardIo,
): Promise<{ server: ControlInfo; command: Parsed } | undefined> => {
  const scanned = scanArgv(argv);
  if (!scanned) return undefined;
  const dataDir = await findDataDir(scanned.config, io);
  const server = dataDir === undefined ? undefined : await readControlFile(dataDir);
  if (!server) return undefined;
  const command = await parseForwardable(argv, scanned.config);
  return command ? { server, command } : undefined;
};

/**
 * Forwards `argv` to the running serve and returns the exit code, or returns undefined (having
 * printed nothing) when main() should handle it.
 */
export const forwardToServe = async (argv: readonly string[], io: ForwardIo): Promise<number | undefined> => {
  let planned: Awaited<ReturnType<typeof plan>>;
  try {
    planned = await plan(await inlineTemplateFile(argv, process.cwd()), io);
  } catch {
    return undefined;
  }
  if (!planned) return undefined;
  const { server, command } = planned;
  try {
    const reply = await runRemoteCommand(
      server,
      command.name,
      command.args,
      (line) => io.out(`${line}\n`),
      io.signal,
    );
    return printReply(reply, command.args['json'] === true, io);
  } catch (err) {
    if (!(err instanceof K3scError)) throw err;
    io.err(`error: ${err.message}\n`);
    return 1;
  }
};

/** forwardToServe for bin/k3sc.js: this process's argv, env, stdio and signals. */
export const forwardFromProcess = async (argv: readonly string[]): Promise<number | undefined> => {
  // The same rule as main(): nothing this process prints carries a token shape.
  const scrub = makeRedactor([]);
  const abort = new AbortController();
  const stop = (): void => abort.abort();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    return await forwardToServe(argv, {
      env: process.env,
      homeDir: homedir(),
      out: (s) => void process.stdout.write(scrub(s)),
      err: (s) => void process.stderr.write(scrub(s)),
      signal: abort.signal,
    });
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
};
