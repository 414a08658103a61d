import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunSpec } from '../../core/ports/agent-runtime.js';
import { sampleRun, sampleSpecBuilder, specBuilderWith } from './__tests__/samples.js';
import { buildAgentJob } from './job-builder.js';
import { DEFAULT_JOB_SETTINGS, SPEC_ENV, type JobSettings } from './job-settings.js';
import { jobYaml } from './job-yaml.js';
import { dnsLabel, jobNameFor, LABEL, labelValue } from './labels.js';

/** Set UPDATE_GOLDEN=1 to rewrite the files after a deliberate change, then review the diff. */
const golden = (name: string, actual: string): void => {
  const url = new URL(`./__golden__/${name}`, import.meta.url);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(url, actual);
  expect(existsSync(url), `missing golden file ${name}; run with UPDATE_GOLDEN=1`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
};

const jobOf = (run: RunSpec, settings: JobSettings = DEFAULT_JOB_SETTINGS) =>
  buildAgentJob(settings, run, sampleSpecBuilder).job;

describe('buildAgentJob', () => {
  it('matches the golden Job (defaults, plus a runtime class)', () => {
    golden('agent-job.yaml', jobYaml(jobOf(sampleRun())));
    golden(
      'agent-job-kata.yaml',
      jobYaml(
        jobOf(sampleRun(), { ...DEFAULT_JOB_SETTINGS, runtimeClassName: 'kata', imagePullPolicy: 'Never' }),
      ),
    );
  });

  it('never lets a second pod run and ignores disruptions', () => {
    const spec = jobOf(sampleRun()).spec!;
    expect(spec.backoffLimit).toBe(0);
    expect(spec.podReplacementPolicy).toBe('Failed');
    expect(spec.podFailurePolicy?.rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
    expect(spec.activeDeadlineSeconds).toBe(3600);
    expect(spec.ttlSecondsAfterFinished).toBe(86_400);
  });

  it('runs non-root on a read-only root with only its own family secret and no API token', () => {
    const pod = jobOf(sampleRun({ family: 'codex' })).spec!.template.spec!;
    const c = pod.containers[0]!;
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('k3sc-agent');
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 1000,
      readOnlyRootFilesystem: true,
    });
    expect(c.envFrom).toEqual([{ secretRef: { name: 'k3sc-agent-codex', optional: false } }]);
    expect(c.volumeMounts?.find((m) => m.name === 'workspace')?.subPath).toBe('slot-0');
    // every slot shares the farm's build caches, and build-lock's default lock is on them
    expect(c.volumeMounts?.find((m) => m.mountPath === '/cache')).toEqual({
      name: 'workspace',
      mountPath: '/cache',
      subPath: '.cache',
    });
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      K3SC_BUILD_LOCK: '/cache/build.lock',
      CARGO_HOME: '/cache/cargo',
      npm_config_cache: '/cache/npm',
      PIP_CACHE_DIR: '/cache/pip',
    });
  });

  it('passes the runner spec, without secret agent env values, in an env var', () => {
    const settings = DEFAULT_JOB_SETTINGS;
    const withSecret = specBuilderWith({ ANTHROPIC_API_KEY: 'sk-ant-secretvalue123', MODE: 'x' });
    const built = buildAgentJob(settings, sampleRun(), withSecret);
    const c = built.job.spec!.template.spec!.containers[0]!;
    const raw = c.env?.find((e) => e.name === SPEC_ENV)?.value ?? '';
    expect(JSON.parse(raw)).toMatchObject({
      attemptName: 'acme-widgets-12-1',
      workspace: '/workspace',
      agent: { env: { MODE: 'x' } },
    });
    expect(raw).not.toContain('sk-ant-secretvalue123');
    expect(built.droppedSecretEnv).toEqual(['ANTHROPIC_API_KEY']);
    expect(c.command?.slice(-2)).toEqual(['--spec-env', SPEC_ENV]);
  });

  it('labels keep two repositories with the same issue number apart', () => {
    const a = jobOf(sampleRun({ repo: { owner: 'acme', name: 'widgets.js' }, attemptName: 'x-1' })).metadata!;
    const b = jobOf(sampleRun({ repo: { owner: 'acme', name: 'widgets-js' }, attemptName: 'x-2' })).metadata!;
    expect(a.labels![LABEL.issue]).toBe(b.labels![LABEL.issue]);
    expect(a.labels![LABEL.repoName]).not.toBe(b.labels![LABEL.repoName]);
    expect(a.annotations!['k3sc.dev/repo']).toBe('acme/widgets.js');
  });
});

describe('label and name values', () => {
  const valid = /^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;
  it('keeps a valid value, hashes a changed or long one', () => {
    expect(labelValue('widgets')).toBe('widgets');
    for (const raw of ['-x-', 'a/b', 'x'.repeat(80), '___', 'é']) {
      expect(labelValue(raw)).toMatch(valid);
      expect(labelValue(raw)).not.toBe(raw);
    }
    expect(labelValue('x'.repeat(80))).not.toBe(labelValue(`${'x'.repeat(79)}y`));
  });
  it('makes DNS-1123 Job names of at most 63 characters', () => {
    expect(jobNameFor('acme-widgets-12-1')).toBe('acme-widgets-12-1');
    const long = jobNameFor(`${'a'.repeat(70)}-12-1`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(dnsLabel('Acme_X')).toMatch(/^acme-x-[0-9a-f]{8}$/);
  });
});
