import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identificationKeys } from '../../domain/ci/identity';
import { loadClassModel } from '../../domain/class-model/load-class-model';
import { validateAttributes } from '../../domain/class-model/validate-attributes';
import { readCatalog, type CatalogEntity } from './catalog';
import { sharedData } from '../../../test/helpers/shared-data';
import { entitiesToBatch, parseEntityRef } from './to-batch';

const DATA = `${sharedData('backstage')}/`;
const model = loadClassModel();
const setA = () => readCatalog([join(DATA, 'all.yaml'), join(DATA, 'acme-corp.yaml')]).entities;

function entity(kind: string, name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): CatalogEntity {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name, ...metadata }, spec, file: 'test.yaml', document: 0 };
}

describe('parseEntityRef', () => {
  it('follows Backstage: optional kind and namespace, the default kind by field, a slash before a colon', () => {
    expect(parseEntityRef('team-a', { defaultKind: 'Group' })).toEqual({ kind: 'Group', namespace: 'default', name: 'team-a' });
    expect(parseEntityRef('user:guest', { defaultKind: 'Group' })).toEqual({ kind: 'user', namespace: 'default', name: 'guest' });
    expect(parseEntityRef('group:default/team-a')).toEqual({ kind: 'group', namespace: 'default', name: 'team-a' });
    expect(parseEntityRef('default/team-a', { defaultKind: 'Group', defaultNamespace: 'alternative' })).toEqual({ kind: 'Group', namespace: 'default', name: 'team-a' });
    expect(parseEntityRef('x', { defaultKind: 'API', defaultNamespace: 'alternative' })).toEqual({ kind: 'API', namespace: 'alternative', name: 'x' });
    expect(parseEntityRef('ns/a:b', { defaultKind: 'Component' })).toEqual({ kind: 'Component', namespace: 'ns', name: 'a:b' });
    expect(parseEntityRef({ kind: 'Component', name: 'c' })).toEqual({ kind: 'Component', namespace: 'default', name: 'c' });
    expect(parseEntityRef('artists')).toHaveProperty('error');
    expect(parseEntityRef('component:')).toHaveProperty('error');
    expect(parseEntityRef(42, { defaultKind: 'Group' })).toHaveProperty('error');
  });
});

describe('mapping the catalog set (all.yaml + acme-corp.yaml)', () => {
  const r = entitiesToBatch(setA(), { model });

  it('imports 13 components, 10 APIs, 3 systems, 3 domains, 1 resource and 8 groups; users and locations are counted, AI resources skipped', () => {
    expect(r.stats.imported).toEqual({ Component: 13, API: 10, System: 3, Domain: 3, Resource: 1, Group: 8 });
    expect(r.stats.ignored).toEqual({ User: 17, Location: 9 });
    expect(r.stats.skipped).toEqual({ AiResource: 3 });
    expect(r.stats.classes).toEqual({
      Microservice: 12, Library: 1, Api: 10, ApplicationService: 3, BusinessService: 3, CloudManagedDatabase: 1,
    });
    expect(r.batch.source).toBe('backstage');
    expect(r.batch.teams.map((t) => t.name).sort()).toEqual(
      ['acme-corp', 'backstage', 'boxoffice', 'infrastructure', 'team-a', 'team-b', 'team-c', 'team-d'],
    );
    expect(r.batch.teams.find((t) => t.name === 'team-a')).toEqual({ name: 'team-a', email: 'team-a@example.com' });
  });

  it('maps the entity fields: names are entity refs, lifecycle, owner team, catalogRef, apiType', () => {
    const byRef = new Map(r.batch.items.map((i) => [i.ref, i]));
    expect(byRef.get('component:default/artist-lookup')).toEqual({
      ref: 'component:default/artist-lookup',
      className: 'Microservice',
      name: 'component:default/artist-lookup',
      description: 'Artist Lookup',
      lifecycle: 'PLANNED',
      owner: 'team-a',
      attributes: { catalogRef: 'component:default/artist-lookup' },
    });
    expect(byRef.get('component:default/playback-sdk')).toMatchObject({ className: 'Library', owner: 'team-c' });
    expect(byRef.get('api:default/hello-world')).toMatchObject({ className: 'Api', lifecycle: 'MAINTENANCE', attributes: { apiType: 'grpc' } });
    expect(byRef.get('api:default/backstage-mcp-server')?.attributes).toMatchObject({ apiType: 'other' });
    expect(byRef.get('api:default/spotify')?.attributes?.specUrl).toMatch(/^https:\/\/github\.com\/APIs-guru/);
    expect(byRef.get('domain:default/artists')).toMatchObject({ className: 'BusinessService', description: 'Artists: Everything related to artists', owner: 'team-a' });
    expect(byRef.get('domain:default/audio')).toMatchObject({ owner: 'acme-corp' });
    expect(byRef.get('system:default/podcast')).toMatchObject({ className: 'ApplicationService', owner: 'team-b' });
    expect(byRef.get('resource:default/artists-db')).toMatchObject({
      className: 'CloudManagedDatabase',
      owner: 'team-a',
      attributes: { cloudResourceId: 'resource:default/artists-db' },
    });
    // user owners and the bare `guest` (a Group by default, and there is none) leave no owner
    for (const ref of ['component:default/searcher', 'component:default/shuffle-api', 'component:default/playback-order', 'domain:default/playback']) {
      expect(byRef.get(ref)?.owner).toBeUndefined();
    }
  });

  it('sends the relations SOURCE.md lists, in the direction of need', () => {
    expect(r.stats.relationships).toEqual({
      'spec.providesApis': 5, 'spec.consumesApis': 1, 'spec.dependsOn': 1, 'spec.system': 7,
      'spec.subcomponentOf': 2, 'spec.domain': 3, 'spec.subdomainOf': 1,
    });
    const edges = r.origins.map((o) => `${o.from} -> ${o.to}`);
    expect(edges).toEqual(expect.arrayContaining([
      'component:default/artist-lookup -> resource:default/artists-db',
      'component:default/wayback-search -> api:default/wayback-archive',
      'api:default/wayback-archive -> component:default/wayback-archive',
      'api:default/petstore -> component:default/petstore',
      'system:default/podcast -> component:default/queue-proxy',
      'system:default/artist-engagement-portal -> resource:default/artists-db',
      'component:default/wayback-archive -> component:default/wayback-archive-storage',
      'domain:default/playback -> system:default/podcast',
      'domain:default/audio -> domain:default/artists',
    ]));
    expect(r.batch.relationships).toHaveLength(20);
    expect(r.batch.relationships.every((x) => x.type === 'DEPENDS_ON' && x.from.ref && x.to.ref)).toBe(true);
    // no System needs anything but its parts
    expect(r.origins.filter((o) => o.from.startsWith('system:')).every((o) => /^(component|resource|api):/.test(o.to))).toBe(true);
  });

  it('reports the owner `guest` that resolves to no group, user owners, skipped AI resources and apiConsumedBy', () => {
    const byCat = (c: string) => r.warnings.filter((w) => w.category === c);
    expect(byCat('unresolved')).toEqual([
      expect.objectContaining({
        entity: 'component:default/playback-order',
        field: 'spec.owner',
        message: expect.stringContaining('group:default/guest'),
        file: expect.stringMatching(/components\/playback-order-component\.yaml$/),
      }),
    ]);
    expect(byCat('owner').map((w) => w.entity)).toEqual(['component:default/searcher', 'component:default/shuffle-api', 'domain:default/playback']);
    expect(byCat('skipped')).toHaveLength(3);
    expect(byCat('ignored').map((w) => w.field)).toEqual(['spec.apiConsumedBy']);
    expect(r.warnings).toHaveLength(8);
  });

  it('produces items the class model accepts, each with its own identity', () => {
    const firstKeys = new Set<string>();
    const allKeys = new Set<string>();
    for (const item of r.batch.items) {
      const v = validateAttributes(model, item.className, { ...item.attributes, name: item.name, ...(item.lifecycle ? { lifecycle: item.lifecycle.toLowerCase() } : {}) }, { partial: false });
      expect(v.ok, `${item.ref}: ${JSON.stringify(v)}`).toBe(true);
      const keys = identificationKeys(model, item.className, { ...item.attributes, name: item.name } as never);
      expect(keys.length).toBeGreaterThan(0);
      firstKeys.add(keys[0]!.key);
      for (const k of keys) {
        expect(allKeys.has(k.key), `${item.ref} shares ${k.key}`).toBe(false);
        allKeys.add(k.key);
      }
    }
    expect(firstKeys.size).toBe(r.batch.items.length);
  });

  it('prefixes every CI name, catalog ref and team name with --name-prefix', () => {
    const p = entitiesToBatch(setA(), { model, namePrefix: 'trial-' });
    expect(p.batch.items.every((i) => i.name.startsWith('trial-'))).toBe(true);
    expect(p.batch.items.filter((i) => i.attributes?.catalogRef).every((i) => String(i.attributes!.catalogRef).startsWith('trial-'))).toBe(true);
    expect(p.batch.teams.every((t) => t.name.startsWith('trial-'))).toBe(true);
    expect(p.batch.items.filter((i) => i.owner).every((i) => i.owner!.startsWith('trial-'))).toBe(true);
  });
});

describe('mapping the whole folder by glob', () => {
  const r = entitiesToBatch(readCatalog([DATA]).entities, { model });
  const byCat = (c: string) => r.warnings.filter((w) => w.category === c);

  it('reports the 12 duplicates with both files and keeps the Location-reached definitions', () => {
    const dups = byCat('duplicate');
    expect(dups.map((w) => w.entity).sort()).toEqual([
      'api:default/hello-world', 'api:default/petstore', 'api:default/spotify', 'api:default/starwars-graphql', 'api:default/streetlights',
      'component:default/artist-lookup', 'component:default/petstore', 'component:default/playback-sdk', 'component:default/podcast-api',
      'component:default/queue-proxy', 'component:default/searcher', 'component:default/shuffle-api',
    ]);
    const petstore = dups.find((w) => w.entity === 'component:default/petstore')!;
    expect(petstore.message).toMatch(/backstage\/petstore-component\.yaml.*components\/petstore-component\.yaml/);
    expect(r.batch.items.find((i) => i.ref === 'component:default/petstore')?.owner).toBe('team-c');
  });

  it('skips the invalid component name and every AiResource, and imports the rest', () => {
    expect(byCat('invalid')).toEqual([expect.objectContaining({ entity: 'component:default/invalid component', field: 'metadata.name' })]);
    expect(byCat('skipped').map((w) => w.entity)).toHaveLength(4);
    expect(r.stats.imported).toEqual({ Group: 9, API: 13, Component: 15, Domain: 3, Resource: 1, System: 3 });
    // a component of namespace `alternative` owned by `default/team-a` gets its own CI and the team
    expect(r.batch.items.find((i) => i.ref === 'component:alternative/different-namespace')).toMatchObject({ owner: 'team-a' });
    expect(byCat('unresolved').map((w) => w.message)).toEqual([
      expect.stringContaining('group:default/guest'),
      expect.stringContaining('group:default/internetarchive@example.com'),
    ]);
  });
});

describe('references and odd entities', () => {
  it('reports references to nothing and to skipped entities, and never sends them', () => {
    const r = entitiesToBatch(
      [
        entity('Component', 'a', { type: 'service', lifecycle: 'beta', owner: 'nobody', dependsOn: ['component:b', 'resource:gone', 'airesource:x'], system: 's' }),
        entity('Component', 'b', { type: 'tool', consumesApis: ['missing-api'], implementsApis: ['x'] }),
        entity('AiResource', 'x', {}),
        entity('Template', 't', {}),
      ],
      { model },
    );
    expect(r.batch.items.map((i) => `${i.ref} ${i.className}`)).toEqual(['component:default/a Microservice', 'component:default/b Application']);
    expect(r.batch.relationships).toEqual([{ type: 'DEPENDS_ON', from: { ref: 'component:default/a' }, to: { ref: 'component:default/b' } }]);
    const unresolved = r.warnings.filter((w) => w.category === 'unresolved').map((w) => `${w.entity} ${w.field} ${w.message}`);
    expect(unresolved).toEqual([
      'component:default/a spec.owner group:default/nobody: no such entity in the import',
      'component:default/a spec.dependsOn resource:default/gone: no such entity in the import',
      'component:default/a spec.dependsOn airesource:default/x is not imported (kind AiResource is not imported)',
      'component:default/a spec.system system:default/s: no such entity in the import',
      'component:default/b spec.consumesApis api:default/missing-api: no such entity in the import',
    ]);
    expect(r.warnings.filter((w) => w.category === 'skipped').map((w) => w.entity)).toEqual(['airesource:default/x', 'template:default/t']);
    expect(r.warnings.find((w) => w.category === 'unmapped')?.field).toBe('spec.lifecycle');
    expect(r.warnings.find((w) => w.category === 'ignored')?.field).toBe('spec.implementsApis');
  });

  it('keeps entities of the same name in different namespaces apart, resolving bare refs in the entity namespace', () => {
    const r = entitiesToBatch(
      [
        entity('Group', 'team', {}),
        entity('Group', 'team', {}, { namespace: 'other' }),
        entity('Component', 'svc', { type: 'service', owner: 'team' }, { namespace: 'other' }),
        entity('Component', 'svc', { type: 'service', owner: 'team' }),
      ],
      { model },
    );
    expect(r.batch.teams.map((t) => t.name)).toEqual(['team', 'other/team']);
    expect(r.batch.items.map((i) => [i.name, i.owner])).toEqual([
      ['component:other/svc', 'other/team'],
      ['component:default/svc', 'team'],
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('maps resources without a host to cloud or technical-service classes', () => {
    const r = entitiesToBatch(
      [entity('Resource', 'b', { type: 's3-bucket' }), entity('Resource', 'f', { type: 'lambda' }), entity('Resource', 'c', { type: 'cdn' })],
      { model },
    );
    expect(r.batch.items.map((i) => [i.className, i.attributes])).toEqual([
      ['CloudBucket', { cloudResourceId: 'resource:default/b', bucketName: 'b' }],
      ['CloudFunction', { cloudResourceId: 'resource:default/f', functionName: 'f' }],
      ['TechnicalService', { platform: 'cdn' }],
    ]);
  });
});
