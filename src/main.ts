import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { COMMANDS } from './bot/command-table.js';
import { addTableCommand } from './bot/program.js';
import { K3scError } from './core/errors.js';
import { makeRedactor } from './core/secrets/index.js';
import {
  ConfigInvalidError,
  formatConfigReport,
  loadConfig,
  maskConfig,
  probeHttpHost,
  type LoadedConfig,
} from './adapters/config/index.js';
import { configRedactor, configSecretValues } from './adapters/config/mask-config.js';
import { buildLockCli } from './app/build-lock-cli.js';
import { execCliCommand } from './app/cli-exec.js';
import { runLocalCommand } from './app/deploy-cli.js';
import { inlineTemplateFile } from './app/template-file-arg.js';
import { runDemo } from './app/demo.js';
import { registerDiscord } from './app/discord-register.js';
import { parseLogLevel } from './app/log-level.js';
import { createLogger } from './app/logger.js';
import { reportError } from './app/report-error.js';
import { serve } from './app/serve.js';
import { webUserCommand } from './app/web-user-cli.js';
import { pino } from 'pino';

/** Nothing the CLI prints carries a well-known token shape (e.g. a token echoed by a config error). */
const scrub = makeRedactor([]);
const out = (s: string): void => void process.stdout.write(scrub(s));
const err = (s: string): void => void process.stderr.write(scrub(s));

/** A whole-number option, or a bad_input error that says what to write instead. */
const intOption = (flag: string, text: string, min: number, max: number): number => {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new K3scError('bad_input', `${flag} must be a whole number from ${min} to ${max} (got "${text}")`);
  return n;
};

/** What the logger scrubs from every line: every secret the config holds (the one rule in src/core/secrets). */
const secretsOf = (loaded: LoadedConfig): string[] => configSecretValues(loaded.config);

/** The composition root's entry: parses argv, wires, runs, maps errors to exit codes. Only here may the process exit. */
export const main = async (argv: readonly string[]): Promise<number> => {
  const root = new AbortController();
  let interruptedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const stop = (signal: 'SIGINT' | 'SIGTERM'): void => {
    interruptedBy ??= signal;
    root.abort();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  let loaded: LoadedConfig | undefined;
  let code = 0;
  const program = new Command('k3sc')
    .description('Run coding agents on GitHub issues; steer them from the CLI and chat.')
    .option('-c, --config <file>', 'config file (default $K3SC_CONFIG or ~/.k3sc.yaml)')
    .option('--log-level <level>', 'debug | info | warn | error', 'warn')
    .showHelpAfterError('(run k3sc --help for usage)')
    .addHelpText(
      'after',
      [
        '',
        'Issue references are owner/repo#N. Every command that prints takes --json.',
        '',
        'Examples:',
        '  k3sc demo                       the whole flow offline, then exit',
        '  k3sc serve                      engine + console chat (sandbox GitHub without credentials)',
        '  k3sc top --once                 the dashboard',
        '  k3sc dispatch --dry-run         what would start, and why the rest waits',
        '  k3sc kill acme/widgets#12 --requeue',
        '  k3sc take --worker claude-b     reserve the next PR to review',
        '  k3sc config check               validate ~/.k3sc.yaml, secrets masked',
      ].join('\n'),
    )
    .exitOverride();
  const globals = (): { config?: string; logLevel: string } => program.opts();
  // Checked before any command runs, so `--log-level banana` is a message, not pino's stack.
  program.hook('preAction', () => void parseLogLevel(globals().logLevel));
  const logLevel = (): string => parseLogLevel(globals().logLevel);
  const load = async (): Promise<LoadedConfig> => {
    const path = globals().config;
    loaded = await loadConfig({
      ...(path === undefined ? {} : { path }),
      env: process.env,
      homeDir: homedir(),
      signal: root.signal,
    });
    return loaded;
  };

  program
    .command('serve')
    .description(
      'Run the engine, webhooks, metrics and the console chat (sandbox GitHub when no credentials)',
    )
    .option('--no-console', 'do not read commands from stdin')
    .option('--port <port>', 'HTTP port (default: config http.port, 8080)')
    .action(async (o: { console: boolean; port?: string }) => {
      const port = o.port === undefined ? undefined : intOption('--port', o.port, 0, 65535);
      const loaded = await load();
      // The sandbox brings its own repository and trusted author; warnings about those would mislead.
      const sandbox = loaded.config.github.auth.kind === 'none';
      for (const w of loaded.warnings)
        if (!sandbox || !/allowed_authors|repos/.test(w)) err(`config warning: ${w}\n`);
      const logFile = join(loaded.config.dataDir, 'k3sc.log');
      const toFile = o.console && process.stdin.isTTY === true;
      const logger = createLogger({
        level: logLevel() === 'warn' ? 'info' : logLevel(),
        secrets: secretsOf(loaded),
        ...(toFile ? { destination: pino.destination({ dest: logFile, mkdir: true, sync: false }) } : {}),
      });
      if (toFile) err(`logging to ${logFile}\n`);
      await serve({
        config: loaded.config,
        logger,
        write: out,
        console: o.console && process.stdin.isTTY === true,
        signal: root.signal,
        ...(port === undefined ? {} : { port }),
      });
    });

  program
    .command('demo')
    .description(
      'Run the whole flow offline in a throw-away sandbox and exit 0 when the sample issue reaches needs-human',
    )
    .option('--json', 'print the final state as JSON')
    .option('--timeout <seconds>', 'give up after this long', '120')
    .option(
      '--chat <platform>',
      'also show the chat (slack or discord) against the built-in fake; writes an HTML transcript',
    )
    .action(async (o: { json?: boolean; timeout: string; chat?: string }) => {
      const timeoutMs = intOption('--timeout', o.timeout, 1, 86_400) * 1000;
      if (o.chat !== undefined && o.chat !== 'slack' && o.chat !== 'discord')
        throw new K3scError('bad_input', `--chat must be slack or discord, not ${JSON.stringify(o.chat)}`);
      const loaded = await load();
      const logger = createLogger({ level: logLevel() });
      const result = await runDemo({
        config: loaded.config,
        logger,
        write: o.json ? err : out,
        timeoutMs,
        signal: root.signal,
        ...(o.chat === 'slack' || o.chat === 'discord' ? { chat: o.chat } : {}),
      });
      if (o.json) out(`${JSON.stringify(result, null, 2)}\n`);
      else
        out(
          `\ndemo complete: ${result.issue} is ${result.labels.join(', ')}; PR #${result.prNumber ?? '?'}; ${result.attempts.length} attempts\n${result.transcript ? `chat transcript: ${result.transcript}\n` : ''}`,
        );
    });

  program
    .command('config')
    .description('Configuration tools')
    .command('check')
    .description('Validate the config and print the effective settings with secrets masked')
    .option('--json', 'print the effective config as JSON')
    .action(async (o: { json?: boolean }) => {
      const loaded = await load();
      const redact = configRedactor(loaded.config);
      const hostProblem = await probeHttpHost(loaded.config.http.host);
      if (hostProblem !== undefined)
        throw new ConfigInvalidError(loaded.source.path, [hostProblem], loaded.warnings);
      out(
        redact(
          o.json
            ? `${JSON.stringify({ source: loaded.source, warnings: loaded.warnings, config: maskConfig(loaded.config) }, null, 2)}\n`
            : `${formatConfigReport(loaded)}\n`,
        ),
      );
    });

  program
    .command('discord')
    .description('Discord tools')
    .command('register')
    .description('Register /k3sc and its subcommands (from the command table) with Discord')
    .option('--guild <id>', 'only in this guild (instant; default chat.discord.guild_id, else global)')
    .action(async (o: { guild?: string }) => {
      const loaded = await load();
      out(await registerDiscord(loaded.config, o.guild));
    });

  program
    .command('build-lock')
    .description(
      'Run a command holding the exclusive lock on the shared build cache (agents sharing cache volumes build one at a time)',
    )
    .option(
      '--lock <path>',
      'the lock file (default $K3SC_BUILD_LOCK, else build.lock in $K3SC_CACHE_DIR or ~/.cache/k3sc)',
    )
    .option('--timeout <duration>', 'give up waiting after this long (e.g. 10m; exit 75)')
    .argument('<command...>', 'the command and its arguments, after --')
    .action(async (command: string[], o: { lock?: string; timeout?: string }) => {
      code = await buildLockCli({ ...o, command }, { env: process.env, err });
    });

  const webUser = program
    .command('web')
    .description('Web dashboard tools')
    .command('user')
    .description('Local users of the web dashboard (web.users_file)');
  webUser
    .command('add')
    .description('Add a user or change their password (read from a prompt or the first line of stdin)')
    .argument('<name>', 'user name (also their id in rbac)')
    .option('--role <role>', 'viewer | operator | admin (default: from rbac)')
    .option('--json', 'print machine-readable JSON')
    .action(async (name: string, o: { role?: string; json?: boolean }) => {
      const loaded = await load();
      await webUserCommand(loaded.config, { action: 'add', name, ...o }, { input: process.stdin, out, err });
    });
  webUser
    .command('remove')
    .description('Remove a user')
    .argument('<name>', 'user name')
    .option('--json', 'print machine-readable JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const loaded = await load();
      await webUserCommand(
        loaded.config,
        { action: 'remove', name, ...o },
        { input: process.stdin, out, err },
      );
    });

  for (const spec of COMMANDS)
    addTableCommand(program, spec, async (s, args) => {
      const loaded = await load();
      if (s.cliOnly === true) {
        code = await runLocalCommand(s, args, { config: loaded.config, out, err });
        return;
      }
      const logger = createLogger({ level: logLevel(), secrets: secretsOf(loaded) });
      code = await execCliCommand(s, args, { config: loaded.config, logger, out, err, signal: root.signal });
    });

  try {
    await program.parseAsync(await inlineTemplateFile(argv, process.cwd()), { from: 'user' });
    return code;
  } catch (e) {
    return reportError(e, {
      dataDir: loaded?.config.dataDir ?? join(homedir(), '.k3sc'),
      secrets: loaded ? secretsOf(loaded) : [],
      interruptedBy,
      err,
    });
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
};
