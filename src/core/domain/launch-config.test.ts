import { describe, expect, it } from 'vitest';
import { parseDeadline } from './agent-config.js';
import { launchMarkerText, readLaunchMarker } from './launch-marker.js';
import { renderTemplate, templateProblems } from './prompt-template.js';

describe('prompt templates', () => {
  const values = { title: 'T', body: 'B', repo: 'o/r', config: 'c', requester: 'olga' };

  it('fills every known variable, also with spaces inside the braces, and leaves other text alone', () => {
    expect(renderTemplate('{{title}}: {{ body }} in {{repo}} ({{config}}, {{requester}}) {x}', values)).toBe(
      'T: B in o/r (c, olga) {x}',
    );
  });

  it('does not expand placeholders that arrive inside the values', () => {
    expect(renderTemplate('{{body}}', { ...values, body: '{{title}}' })).toBe('{{title}}');
  });

  it('lists unknown variables and malformed placeholders', () => {
    expect(templateProblems('{{title}} {{body}}')).toEqual([]);
    expect(templateProblems('{{titel}}')).toEqual([
      'unknown variable {{titel}}; the variables are {{title}}, {{body}}, {{repo}}, {{config}}, {{requester}}',
    ]);
    expect(templateProblems('{{title}')).toEqual(['has an unclosed or malformed {{…}} placeholder']);
    expect(templateProblems('x'.repeat(16_001))[0]).toContain('at most 16000');
  });
});

describe('launch marker', () => {
  const pref = {
    config: 'fix',
    family: 'codex',
    model: 'gpt-5',
    deadlineSeconds: 900,
    maxTurns: 5,
    budgetUsd: 1.5,
  };

  it('round-trips through an issue body, taking the last marker', () => {
    const body = `text\n\n${launchMarkerText({ config: 'old', family: 'claude' })}\n${launchMarkerText(pref)}`;
    expect(readLaunchMarker(body)).toEqual(pref);
  });

  it.each([
    ['no marker', 'plain text'],
    ['broken JSON', '<!-- k3sc:launch {"config": -->'],
    ['a deadline over 24h', launchMarkerText({ ...pref, deadlineSeconds: 999_999 })],
    ['an unknown field', '<!-- k3sc:launch {"config":"a","family":"claude","image":"evil"} -->'],
    ['a family with spaces', '<!-- k3sc:launch {"config":"a","family":"rm -rf"} -->'],
  ])('ignores %s (the issue runs as an ordinary one)', (_what, body) => {
    expect(readLaunchMarker(body)).toBeUndefined();
  });
});

describe('parseDeadline', () => {
  it.each([
    ['45m', 2700],
    ['1h30m', 5400],
    ['900', 900],
    ['90s', 90],
  ])('%s is %i seconds', (text, seconds) => expect(parseDeadline(text)).toBe(seconds));

  it.each(['soon', '1.5h', '', '10d'])('refuses %j', (text) => expect(parseDeadline(text)).toBeUndefined());
});
