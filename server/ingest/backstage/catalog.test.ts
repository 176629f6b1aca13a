import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedData } from '../../../test/helpers/shared-data';
import { readCatalog } from './catalog';

const DATA = `${sharedData('backstage')}/`;

function kinds(entities: { kind: string }[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const e of entities) m[e.kind] = (m[e.kind] ?? 0) + 1;
  return m;
}

describe('reading the Backstage example catalog', () => {
  it('follows the Location targets of all.yaml and acme-corp.yaml to the 50 files of the catalog set', () => {
    const c = readCatalog([join(DATA, 'all.yaml'), join(DATA, 'acme-corp.yaml')]);
    // 49 entity files reached by targets, plus the OpenAPI document an API names with `$text: ./...`.
    expect(c.files).toHaveLength(49);
    expect(c.definitionFiles).toEqual([expect.stringMatching(/apis\/petstore-webhook\.oas\.yaml$/)]);
    expect(kinds(c.entities)).toEqual({
      Location: 9, Component: 13, API: 10, System: 3, Domain: 3, Resource: 1, Group: 8, User: 17, AiResource: 3,
    });
    expect(c.warnings).toEqual([]);
  });

  it('keeps each entity with its file, including every document of a multi-document file', () => {
    const c = readCatalog([join(DATA, 'acme-corp.yaml')]);
    const teamA = c.entities.filter((e) => e.file.endsWith('acme/team-a-group.yaml'));
    expect(teamA.map((e) => `${e.kind}:${String(e.metadata.name)}`)).toEqual([
      'Group:team-a', 'User:breanna.davison', 'User:janelle.dawe', 'User:nigel.manning', 'User:guest', 'User:guest',
    ]);
    expect(teamA.map((e) => e.document)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads the whole folder by glob, Location-reached definitions first, and reports the OpenAPI file', () => {
    const c = readCatalog([DATA]);
    expect(c.files).toHaveLength(71);
    expect(kinds(c.entities)).toEqual({
      Location: 9, Component: 23, API: 18, System: 3, Domain: 3, Resource: 1, Group: 9, User: 17, AiResource: 4,
    });
    const firstPetstore = c.entities.find((e) => e.kind === 'Component' && e.metadata.name === 'petstore')!;
    expect(firstPetstore.file).toMatch(/components\/petstore-component\.yaml$/);
    // petstore-webhook.oas.yaml is an API's $text definition, petstore.oas.yaml is named by no entity.
    expect(c.warnings.map((w) => [w.category, w.file])).toEqual([['non-entity', expect.stringMatching(/apis\/petstore\.oas\.yaml$/)]]);
  });

  it('reports broken YAML, URL and missing targets, and non-entities without throwing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ripple-bs-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(
      join(dir, 'loc.yaml'),
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Location',
        'metadata: { name: l }',
        'spec:',
        '  targets: [./sub/ok.yaml, https://example.com/catalog-info.yaml, ./missing.yaml, ./sub/bad.yaml, ./loc.yaml]',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'sub', 'ok.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: a }\n---\n---\nfoo: bar\n');
    writeFileSync(join(dir, 'sub', 'bad.yaml'), 'apiVersion: backstage.io/v1alpha1\nkind: [unclosed\n');
    const c = readCatalog([join(dir, 'loc.yaml')]);
    expect(c.entities.map((e) => e.kind)).toEqual(['Location', 'Component']);
    expect(c.warnings.map((w) => w.category).sort()).toEqual(['location', 'location', 'non-entity', 'parse-error']);
    expect(c.warnings.find((w) => w.category === 'location' && w.message.includes('https://'))?.message).toMatch(/not fetched/);
  });
});
