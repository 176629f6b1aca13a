import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseByteSize } from './config';

describe('configuration', () => {
  it('starts with a local Neo4j on port 4000 when nothing is set', () => {
    const c = loadConfig({});
    expect(c.port).toBe(4000);
    expect(c.neo4j).toBeUndefined();
    expect(c.local.heapBytes).toBe(1024 ** 3);
  });

  it('names the variable when PORT is not a port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT.*70000/);
  });

  it('asks for NEO4J_PASSWORD when NEO4J_URI selects an external Neo4j', () => {
    expect(() => loadConfig({ NEO4J_URI: 'neo4j://db:7687' })).toThrow(/NEO4J_PASSWORD is required/);
    const c = loadConfig({ NEO4J_URI: 'neo4j://db:7687', NEO4J_PASSWORD: 'secret123' });
    expect(c.neo4j).toMatchObject({ uri: 'neo4j://db:7687', username: 'neo4j', password: 'secret123' });
  });

  it('rejects a NEO4J_URI that is not bolt or neo4j, without echoing passwords', () => {
    expect(() => loadConfig({ NEO4J_URI: 'http://db:7474', NEO4J_PASSWORD: 'pw' })).toThrow(/NEO4J_URI/);
    try {
      loadConfig({ NEO4J_URI: 'bolt://x', NEO4J_PASSWORD: '' , RIPPLE_NEO4J_HEAP: 'lots' });
    } catch (e) {
      expect((e as ConfigError).variable).toBe('RIPPLE_NEO4J_HEAP');
    }
  });

  it('reads heap and page cache sizes with units', () => {
    expect(parseByteSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('2G')).toBe(2 * 1024 ** 3);
    expect(loadConfig({ RIPPLE_NEO4J_PAGECACHE: '256m' }).local.pagecacheBytes).toBe(256 * 1024 ** 2);
  });

  it('takes the approval policy from RIPPLE_APPROVAL_POLICY, keeping the default for levels it leaves out', () => {
    const c = loadConfig({ RIPPLE_APPROVAL_POLICY: '{"MEDIUM":{"approvers":2,"businessServiceOwners":true}}' });
    expect(c.approvalPolicy.MEDIUM).toEqual({ approvers: 2, businessServiceOwners: true });
    expect(c.approvalPolicy.CRITICAL).toEqual({ approvers: 2, businessServiceOwners: true });
    expect(loadConfig({}).approvalPolicy.LOW).toEqual({ approvers: 1, businessServiceOwners: false });
  });

  it('names RIPPLE_APPROVAL_POLICY when it is not JSON or names an unknown level', () => {
    expect(() => loadConfig({ RIPPLE_APPROVAL_POLICY: '{nope' })).toThrow(/RIPPLE_APPROVAL_POLICY/);
    expect(() => loadConfig({ RIPPLE_APPROVAL_POLICY: '{"SEVERE":{"approvers":1,"businessServiceOwners":false}}' })).toThrow(/RIPPLE_APPROVAL_POLICY/);
    expect(() => loadConfig({ RIPPLE_APPROVAL_POLICY: '{"HIGH":{"approvers":0,"businessServiceOwners":true}}' })).toThrow(/RIPPLE_APPROVAL_POLICY/);
  });
});
