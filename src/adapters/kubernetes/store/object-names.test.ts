import { describe, expect, it } from 'vitest';
import { labelValue, objectName, repoLabel } from './object-names.js';

describe('object names', () => {
  it('keeps valid names, and maps others deterministically and apart', () => {
    expect(objectName('acme-widgets-12-1')).toBe('acme-widgets-12-1');
    expect(objectName('chat-message.acme-widgets-12-1')).toBe('chat-message.acme-widgets-12-1');
    const a = objectName('Acme_Widgets-12-1');
    expect(a).toMatch(/^acme-widgets-12-1-[0-9a-f]{10}$/);
    expect(objectName('Acme_Widgets-12-1')).toBe(a);
    expect(objectName('acme.widgets-12-1-')).not.toBe(objectName('acme.widgets-12-1'));
    const long = objectName(`audit.${'x'.repeat(300)}`);
    expect(long.length).toBeLessThanOrEqual(253);
    expect(objectName('---')).toMatch(/^x-[0-9a-f]{10}$/);
  });

  it('makes label values of at most 63 characters; repos ignore case', () => {
    expect(labelValue('claude-a')).toBe('claude-a');
    expect(labelValue('y'.repeat(100)).length).toBeLessThanOrEqual(63);
    expect(repoLabel({ owner: 'Acme', name: 'Widgets' })).toBe(repoLabel({ owner: 'acme', name: 'widgets' }));
    expect(repoLabel({ owner: 'acme', name: 'widgets.js' })).toBe('acme.widgets.js');
  });
});
