import { describe, expect, it } from 'vitest';
import { buildAgentArgv } from './agent-command.js';

const values = {
  prompt: 'Fix {issue} please',
  promptFile: '/w/.k3sc/prompt.md',
  issue: 12,
  repo: 'acme/widgets',
};

describe('buildAgentArgv', () => {
  it('substitutes every placeholder once, inside elements too', () => {
    const argv = buildAgentArgv(
      ['claude', '-p', '{prompt}', '--model={model}', '--issue', '{issue}', '{repo}', '@{promptFile}'],
      {
        ...values,
        model: 'opus',
      },
    );
    expect(argv).toEqual([
      'claude',
      '-p',
      'Fix {issue} please',
      '--model=opus',
      '--issue',
      '12',
      'acme/widgets',
      '@/w/.k3sc/prompt.md',
    ]);
  });

  it('drops the model flag pair when no model is set', () => {
    expect(buildAgentArgv(['claude', '--model', '{model}', '-p', '{prompt}'], values)).toEqual([
      'claude',
      '-p',
      'Fix {issue} please',
    ]);
    expect(buildAgentArgv(['codex', '--model={model}', 'exec'], values)).toEqual(['codex', 'exec']);
  });

  it('keeps a non-flag element before a bare {model}', () => {
    expect(buildAgentArgv(['run', '{model}'], values)).toEqual(['run']);
  });

  it('leaves unknown braces alone', () => {
    expect(buildAgentArgv(['echo', '{other}', '{}'], values)).toEqual(['echo', '{other}', '{}']);
  });
});

describe('buildAgentArgv limits', () => {
  const base = { prompt: 'p', promptFile: '/f', issue: 1, repo: 'o/r' };
  it('fills {maxTurns} and {budgetUsd} from a launched config', () => {
    const argv = ['claude', '--max-turns', '{maxTurns}', '--max-budget-usd={budgetUsd}', '-p', '{prompt}'];
    expect(buildAgentArgv(argv, { ...base, maxTurns: 30, budgetUsd: 2.5 })).toEqual([
      'claude',
      '--max-turns',
      '30',
      '--max-budget-usd=2.5',
      '-p',
      'p',
    ]);
  });
  it('drops them (and their flag) when the run has no such limit', () => {
    const argv = ['claude', '--max-turns', '{maxTurns}', '--max-budget-usd={budgetUsd}', '-p', '{prompt}'];
    expect(buildAgentArgv(argv, base)).toEqual(['claude', '-p', 'p']);
  });
});
