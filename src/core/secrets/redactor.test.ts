import { describe, expect, it } from 'vitest';
import { makeRedactor, redactDeep, secretValuesOf } from './redactor.js';

describe('makeRedactor', () => {
  it('replaces known values, longest first, and ignores values shorter than 6 characters', () => {
    const redact = makeRedactor(['hunter2-secret', 'hunter2-secret-longer', 'abc', undefined, '']);
    expect(redact('a hunter2-secret-longer b hunter2-secret c abc')).toBe('a *** b *** c abc');
  });

  it('replaces token shapes it was not told about', () => {
    const redact = makeRedactor([]);
    expect(redact('token ghp_0123456789abcdefABCDEF0123456789abcd here')).toBe('token *** here');
    expect(redact('OPENAI=sk-proj-AbCdEfGhIjKlMnOp1234567890QrStUvWx;')).toBe('OPENAI=***;');
    expect(redact('aws AKIAIOSFODNN7EXAMPLE and xoxb-1234567890-0987654321-AbCdEf')).toBe('aws *** and ***');
    expect(redact('nothing secret in claude-sonnet-4-5 on issue-12')).toBe(
      'nothing secret in claude-sonnet-4-5 on issue-12',
    );
  });

  it('replaces a PEM block whole, in plain and JSON-escaped form', () => {
    const pem =
      '-----BEGIN PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END PRIVATE KEY-----';
    const redact = makeRedactor([]);
    expect(redact(`key: ${pem} end`)).toBe('key: *** end');
    expect(redact(JSON.stringify({ msg: `key ${pem}` }))).toBe('{"msg":"key ***"}');
  });

  it('finds each line of a multi-line known value, and its JSON-escaped form', () => {
    const secret = 'first-line-of-it\nsecond-line-of-it';
    const redact = makeRedactor([secret]);
    expect(redact('got second-line-of-it')).toBe('got ***');
    expect(redact(JSON.stringify({ v: secret }))).toBe('{"v":"***"}');
    const quoted = makeRedactor(['pa"ss\\word']);
    expect(quoted(JSON.stringify({ v: 'x pa"ss\\word y' }))).toBe('{"v":"x *** y"}');
  });
});

describe('secretValuesOf', () => {
  it('takes values by secret name or by token shape, nothing else', () => {
    const values = secretValuesOf({
      GITHUB_TOKEN: 't1',
      SIGNING_KEY: 'signing-key-value',
      DB_PASS: 'db-pass-value',
      PLAIN: 'xoxb-1234567890-0987654321-AbCdEf',
      PATH: '/bin',
      HOME: '/root',
      UNSET: undefined,
    });
    expect(values.sort()).toEqual([
      'db-pass-value',
      'signing-key-value',
      't1',
      'xoxb-1234567890-0987654321-AbCdEf',
    ]);
  });
});

describe('redactDeep', () => {
  it('redacts every string of plain data and keeps the keys', () => {
    const redact = makeRedactor(['planted-secret']);
    expect(
      redactDeep({ planted: ['x planted-secret', 3, { s: 'planted-secret' }], n: null }, redact),
    ).toEqual({
      planted: ['x ***', 3, { s: '***' }],
      n: null,
    });
  });
});
