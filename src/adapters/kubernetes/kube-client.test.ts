import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { kubeError, resolveNamespace } from './kube-client.js';
import { KubeConfig } from '@kubernetes/client-node';

const api = (code: number, message?: string): ApiException<string> =>
  new ApiException(code, 'x', message === undefined ? '' : JSON.stringify({ message }), {});

describe('kubeError', () => {
  it('maps API statuses to K3scError codes and names the object', () => {
    expect(kubeError(api(404), 'AgentJob a-1')).toMatchObject({
      code: 'not_found',
      message: 'AgentJob a-1 not found',
    });
    expect(kubeError(api(409, 'already exists'), 'AgentJob a-1')).toMatchObject({
      code: 'conflict',
      message: 'AgentJob a-1: already exists',
    });
    expect(kubeError(api(403, 'nope'), 'x')).toMatchObject({ code: 'forbidden' });
    expect(kubeError(api(422, 'spec.issue: Invalid'), 'x')).toMatchObject({
      code: 'bad_input',
      message: expect.stringContaining('spec.issue: Invalid') as string,
    });
    expect(kubeError(api(429), 'x')).toMatchObject({ code: 'rate_limited' });
    expect(kubeError(api(503), 'x')).toMatchObject({ code: 'unavailable' });
    expect(kubeError(new Error('ECONNREFUSED'), 'x')).toMatchObject({ code: 'unavailable' });
  });

  it('re-throws the reason of an aborted caller signal', () => {
    const c = new AbortController();
    c.abort();
    expect(kubeError(new Error('aborted'), 'x', c.signal)).toMatchObject({ name: 'AbortError' });
  });
});

describe('namespace and config', () => {
  it('prefers the explicit namespace, then the context, then claude-agents', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
      users: [{ name: 'u', token: 't' }],
      contexts: [
        { name: 'x', cluster: 'c', user: 'u', namespace: 'farm' },
        { name: 'y', cluster: 'c', user: 'u' },
      ],
      currentContext: 'x',
    });
    expect(resolveNamespace(kc, 'mine')).toBe('mine');
    expect(resolveNamespace(kc)).toBe('farm');
    kc.setCurrentContext('y');
    expect(resolveNamespace(kc)).toBe('claude-agents');
  });
});
