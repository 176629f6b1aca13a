import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../errors';
import { checkRunScope, checkSourceName } from './source-name';
import { relSightingKey } from './sighting';

describe('a run scope', () => {
  it('takes a cluster or host name as the importers write it, and the empty scope', () => {
    for (const s of ['', 'cluster:prod-1', 'host:web-01.example.com', 'account/123456789012@eu-west-1']) expect(() => checkRunScope(s)).not.toThrow();
  });

  it('refuses spaces, a leading punctuation mark and more than 200 characters, naming `scope`', () => {
    for (const s of ['prod 1', ':prod', 'a'.repeat(201), 'x\n']) {
      expect(() => checkRunScope(s), JSON.stringify(s)).toThrow(ValidationError);
      try {
        checkRunScope(s);
      } catch (e) {
        expect((e as ValidationError).field).toBe('scope');
      }
    }
  });

  it('leaves source names to their own rule', () => {
    expect(() => checkSourceName('k8s')).not.toThrow();
    expect(() => checkSourceName('k8s prod')).toThrow(ValidationError);
  });
});

describe('a relationship sighting key', () => {
  it('differs for the other direction and for another type, and never equals a CI id', () => {
    const k = relSightingKey({ from: 'ci_a', type: 'DEPENDS_ON', to: 'ci_b' });
    expect(k).not.toBe(relSightingKey({ from: 'ci_b', type: 'DEPENDS_ON', to: 'ci_a' }));
    expect(k).not.toBe(relSightingKey({ from: 'ci_a', type: 'RUNS_ON', to: 'ci_b' }));
    expect(k).not.toMatch(/^ci_[0-9a-f]+$/);
  });
});
