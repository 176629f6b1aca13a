import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { fields } from './fields';

describe('fields of a stored record', () => {
  const f = fields({ name: 'ci-token', roles: ['viewer'], n: neo4j.int(3), c: 2, none: null }, 'token tok_1');

  it('reads each property as the type it should have', () => {
    expect([f.text('name'), f.texts('roles'), f.number('n'), f.number('c')]).toEqual(['ci-token', ['viewer'], 3, 2]);
    expect([f.textOrNull('none'), f.textOrNull('absent'), f.numberOrNull('none'), f.texts('absent')]).toEqual([null, null, null, []]);
  });

  it("reads Cypher's instants in JavaScript's ISO form", () => {
    const t = fields({ at: '2026-12-02T01:18:00.123000000Z', off: '2026-12-02T02:18:00+01:00', bad: 'soon' }, 'event e1');
    expect([t.instant('at'), t.instant('off'), t.instantOrNull('none')]).toEqual(['2026-12-02T01:18:00.123Z', '2026-12-02T01:18:00.000Z', null]);
    expect(() => t.instant('bad')).toThrow(/event e1 cannot be read \(bad is string, not an instant\)/);
  });

  it('names the record and the property when a value is not what Ripple writes', () => {
    expect(() => f.text('c')).toThrow(/stored token tok_1 cannot be read \(c is number, not text\)/);
    expect(() => f.text('absent')).toThrow(/absent is missing, not text/);
    expect(() => fields({ roles: ['a', 1] }, 'token x').texts('roles')).toThrow(/roles is object, not a list of text/);
    expect(() => fields(null, 'token y')).toThrow(/token y cannot be read \(not a record\)/);
  });
});
