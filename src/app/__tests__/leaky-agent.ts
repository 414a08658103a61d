import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Env variables whose values the leaky agent repeats everywhere it can. */
export const LEAKED_VARS = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'SIGNING_KEY',
  'DB_PASS',
  'OPENAI_API_KEY',
  'HELPER_SETTING',
  'SSH_PRIVATE_KEY',
];

/**
 * An agent that talks like `claude --output-format stream-json` and repeats every secret it
 * was given: in assistant text, in its closing words (the hand-off summary), in plain stdout
 * lines and on stderr. It commits a harmless file when implementing, and fails (exit 1) on
 * the issue named by `failIssue`.
 */
const SCRIPT = (failIssue: number): string => `
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
const vars = ${JSON.stringify(LEAKED_VARS)};
const all = vars.map((v) => v + '=' + (process.env[v] ?? '(unset)')).join(' ');
const emit = (e) => process.stdout.write(JSON.stringify(e) + '\\n');
const usage = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
const say = (text) => emit({ type: 'assistant', message: { id: randomUUID(), model: 'leaky-1', role: 'assistant', content: [{ type: 'text', text }], usage } });
emit({ type: 'system', subtype: 'init', model: 'leaky-1', session_id: randomUUID() });
say('Looking around. My environment: ' + all);
process.stderr.write('leaky agent stderr: ' + all + '\\n');
process.stderr.write((process.env.SSH_PRIVATE_KEY ?? '') + '\\n');
process.stdout.write('plain stdout: ' + all + '\\n');
const issue = process.env.K3SC_ISSUE;
if (issue === '${failIssue}') {
  process.stderr.write('giving up, see ' + all + '\\n');
  process.exit(1);
}
if (process.env.K3SC_KIND === 'implement') {
  writeFileSync('notes-' + issue + '.md', 'notes\\n');
  execFileSync('git', ['add', '.']);
  execFileSync('git', ['commit', '--quiet', '-m', 'Add notes for issue ' + issue]);
}
const closing = 'All done. For the record: ' + all;
say(closing);
emit({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, result: closing, total_cost_usd: 0.001 });
`;

/** Writes the agent to `<dir>/leaky-agent.mjs` and returns its path. */
export const writeLeakyAgent = async (dir: string, failIssue: number): Promise<string> => {
  const path = join(dir, 'leaky-agent.mjs');
  await writeFile(path, SCRIPT(failIssue), 'utf8');
  return path;
};
