import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One line the scripted agent prints, on stdout unless `err`. */
export interface ScriptLine {
  readonly line: string;
  readonly err?: boolean;
}

export interface AgentScript {
  readonly lines: readonly ScriptLine[];
  /** Commit a change before exiting, so an implement attempt has something to push. */
  readonly commit?: boolean;
  readonly exitCode?: number;
}

const SOURCE = `
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
for (const l of plan.lines) (l.err ? process.stderr : process.stdout).write(l.line + '\\n');
if (plan.commit) {
  fs.writeFileSync('scripted.txt', 'scripted change\\n');
  execFileSync('git', ['add', 'scripted.txt']);
  execFileSync('git', ['commit', '--quiet', '-m', 'Scripted change']);
}
process.exitCode = plan.exitCode ?? 0;
`;

/** Writes an agent that prints exactly the given lines; returns the argv for `agent.command`. */
export const scriptedAgent = async (dir: string, name: string, script: AgentScript): Promise<string[]> => {
  const program = join(dir, 'scripted-agent.cjs');
  const plan = join(dir, `${name}.json`);
  await writeFile(program, SOURCE, 'utf8');
  await writeFile(plan, JSON.stringify(script), 'utf8');
  return [process.execPath, program, plan];
};

/** One Claude stream-json event as a line. */
export const event = (o: object): ScriptLine => ({ line: JSON.stringify(o) });
