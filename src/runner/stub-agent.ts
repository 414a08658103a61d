#!/usr/bin/env node
/**
 * The sandbox's pretend agent: `node dist/runner/stub-agent.js '{prompt}'`. It changes a real
 * file, commits it, and talks like `claude --output-format stream-json`. Test knobs:
 * K3SC_STUB_FAIL=1 (exit 1), K3SC_STUB_QUOTA=1 (usage-limit message), K3SC_STUB_SLEEP_MS,
 * K3SC_STUB_TICKS=N with K3SC_STUB_TICK_MS (N numbered progress lines, one per tick: live logs).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MODEL = 'k3sc-stub-1';
const emit = (event: object): void => {
  process.stdout.write(`${JSON.stringify(event)}\n`);
};
const usage = {
  input_tokens: 1200,
  output_tokens: 340,
  cache_read_input_tokens: 5000,
  cache_creation_input_tokens: 800,
};
const say = (id: string, content: object[]): void =>
  emit({ type: 'assistant', message: { id, model: MODEL, role: 'assistant', content, usage } });
const finish = (text: string, isError = false): void =>
  emit({
    type: 'result',
    subtype: isError ? 'error' : 'success',
    is_error: isError,
    num_turns: 2,
    result: text,
    total_cost_usd: 0.0123,
  });

const prompt = process.argv[2] ?? '';
const issue = process.env['K3SC_ISSUE'] ?? /#(\d+)/.exec(prompt)?.[1] ?? '0';
const reviewing = /^You are reviewing pull request #(\d+)/.exec(prompt);

const implement = (): void => {
  const first = randomUUID();
  say(first, [{ type: 'text', text: `I'll write notes for issue #${issue}.` }]);
  say(first, [
    {
      type: 'tool_use',
      id: 'tool_1',
      name: 'Bash',
      input: { command: `git commit -m "Notes for issue ${issue}"` },
    },
  ]);
  const dir = 'k3sc-notes';
  const file = join(dir, `issue-${issue}.md`);
  mkdirSync(dir, { recursive: true });
  const firstLine = prompt.split('\n')[0] ?? '';
  if (!existsSync(file)) writeFileSync(file, `# Notes for issue #${issue}\n\n`);
  appendFileSync(
    file,
    `- ${new Date().toISOString()}: ${firstLine} (${prompt.split(/\s+/).length} words in the prompt)\n`,
  );
  execFileSync('git', ['add', file]);
  execFileSync('git', ['commit', '--quiet', '-m', `Add notes for issue ${issue}`, '-m', `Refs #${issue}`]);
  emit({
    type: 'user',
    message: {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'tool_1', content: '1 file changed' }],
    },
  });
  say(randomUUID(), [{ type: 'text', text: `Wrote ${file} with notes derived from the issue.` }]);
  finish(`Wrote ${file} with notes derived from the issue.`);
};

const review = (pr: string): void => {
  const text = `Reviewed PR #${pr}: the notes file is present and well formed. APPROVE.`;
  say(randomUUID(), [{ type: 'text', text }]);
  finish(text);
};

const main = async (): Promise<number> => {
  const sleep = Number(process.env['K3SC_STUB_SLEEP_MS'] ?? '0');
  emit({ type: 'system', subtype: 'init', model: MODEL, session_id: randomUUID() });
  if (sleep > 0) await new Promise((r) => setTimeout(r, sleep));
  const ticks = Number(process.env['K3SC_STUB_TICKS'] ?? '0');
  const tickId = randomUUID(); // one message id: its usage counts once
  for (let i = 1; i <= ticks; i++) {
    say(tickId, [{ type: 'text', text: `working: step ${i} of ${ticks}` }]);
    await new Promise((r) => setTimeout(r, Number(process.env['K3SC_STUB_TICK_MS'] ?? '100')));
  }
  if (process.env['K3SC_STUB_FAIL'] === '1') {
    process.stderr.write('stub agent: failing on purpose (K3SC_STUB_FAIL=1)\n');
    return 1;
  }
  if (process.env['K3SC_STUB_QUOTA'] === '1') {
    const reset = Math.floor(Date.now() / 1000) + 2 * 3600;
    emit({
      type: 'assistant',
      message: {
        id: randomUUID(),
        model: '<synthetic>',
        content: [{ type: 'text', text: `Claude AI usage limit reached|${reset}` }],
      },
    });
    finish(`Claude AI usage limit reached|${reset}`, true);
    return 1;
  }
  if (reviewing?.[1] !== undefined) review(reviewing[1]);
  else implement();
  return 0;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`stub agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
