// Several discovery writers at once: eight upsertCis requests over HTTP, each from its own source, report an
// overlapping set of servers and relationships at the same moment. Identification keys under a unique
// constraint must leave exactly one CI per serial number and one relationship per (from, type, to).
import { describe, expect, it } from 'vitest';
import type { UpsertResult } from './helpers/ci-fixtures';
import { deleteDiscoveryTagged, sendRaw } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((a) => ((app = a), (key = a.key)), deleteDiscoveryTagged);

const WRITERS = 8;
const SHARED = 40;
const OWN = 10;
const ROUNDS = 3;

function batch(round: number, writer: number) {
  const prefix = `${key}-r${round}`;
  const shared = Array.from({ length: SHARED }, (_, i) => ({
    ref: `s${i}`,
    className: 'LinuxServer',
    name: `${prefix}-shared-${i}`,
    attributes: { serialNumber: `${prefix}-SN-shared-${i}`, cpuCount: 4 },
  }));
  const own = Array.from({ length: OWN }, (_, i) => ({
    ref: `o${i}`,
    className: 'LinuxServer',
    name: `${prefix}-w${writer}-own-${i}`,
    attributes: { serialNumber: `${prefix}-SN-w${writer}-own-${i}` },
  }));
  // Writers list their items in different orders, so they reach the shared keys in different orders.
  const items = [...shared, ...own];
  const rotated = [...items.slice((writer * 7) % items.length), ...items.slice(0, (writer * 7) % items.length)];
  const relationships = [
    ...Array.from({ length: SHARED - 1 }, (_, i) => ({ type: 'CONNECTS_TO', from: { ref: `s${i}` }, to: { ref: `s${i + 1}` } })),
    ...Array.from({ length: OWN }, (_, i) => ({ type: 'DEPENDS_ON', from: { ref: `o${i}` }, to: { ref: `s${(i * 3 + writer) % SHARED}` } })),
  ];
  return { source: `w${writer}-${key}`, items: rotated, relationships };
}

interface Listed {
  id: string;
  name: string;
  attributes: { serialNumber?: string };
  relationships: { type: string; from: { id: string }; to: { id: string } }[];
}

describe('eight discovery writers at once', () => {
  for (let round = 0; round < ROUNDS; round++) {
    it(`leaves exactly one CI per serial number and one relationship per pair (round ${round + 1} of ${ROUNDS})`, async () => {
      const started = Date.now();
      const settled = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, w) => {
          const t0 = Date.now();
          return sendRaw(app, batch(round, w)).then((r) => ({ r, ms: Date.now() - t0 }));
        }),
      );
      const elapsed = Date.now() - started;
      const failures = settled.flatMap((s, w) => (s.status === 'rejected' ? [`writer ${w}: ${String(s.reason)}`] : []));
      expect(failures).toEqual([]);
      const results = settled.map((s) => (s as PromiseFulfilledResult<{ r: UpsertResult; ms: number }>).value);
      console.info(`round ${round + 1}: ${WRITERS} writers in ${elapsed} ms (each: ${results.map((x) => x.ms).join(', ')} ms)`);

      // Every writer succeeded, with no rejected item or relationship.
      const payloads = results.map(({ r }, w) => {
        expect(r.__typename, `writer ${w}: ${JSON.stringify(r)}`).toBe('MutationUpsertCisSuccess');
        if (r.__typename !== 'MutationUpsertCisSuccess') throw new Error('unreachable');
        expect(r.data.items.filter((i) => i.status === 'REJECTED'), `writer ${w}`).toEqual([]);
        expect(r.data.relationships.filter((x) => x.status === 'REJECTED'), `writer ${w}`).toEqual([]);
        return r.data;
      });

      // Each shared server was created by exactly one writer; all eight got the same id for it.
      for (let i = 0; i < SHARED; i++) {
        const outcomes = payloads.map((p) => p.items.find((it) => it.ref === `s${i}`)!);
        expect(new Set(outcomes.map((o) => o.id)).size, `shared ${i}`).toBe(1);
        expect(outcomes.filter((o) => o.status === 'CREATED'), `shared ${i}`).toHaveLength(1);
      }

      const listed = await app.data<{ cis: { totalCount: number; nodes: Listed[] } }>(
        `query ($f: CiFilter) { cis(filter: $f, first: 500) { totalCount
           nodes { id name attributes relationships(direction: OUT) { type from { id } to { id } } } } }`,
        { f: { nameContains: `${key}-r${round}-` } },
      );
      const nodes = listed.cis.nodes;
      expect(listed.cis.totalCount).toBe(SHARED + WRITERS * OWN);
      expect(nodes).toHaveLength(SHARED + WRITERS * OWN);

      const bySerial = new Map<string, string[]>();
      for (const n of nodes) {
        const s = n.attributes.serialNumber ?? `(none: ${n.name})`;
        bySerial.set(s, [...(bySerial.get(s) ?? []), n.id]);
      }
      const duplicated = [...bySerial].filter(([, ids]) => ids.length !== 1);
      expect(duplicated).toEqual([]);
      expect(bySerial.size).toBe(SHARED + WRITERS * OWN);

      // Relationships: every expected one exists exactly once, and nothing else was made.
      const idOfSerial = (s: string) => bySerial.get(s)![0]!;
      const prefix = `${key}-r${round}`;
      const shared = (i: number) => idOfSerial(`${prefix}-SN-shared-${i}`);
      const expected = new Set<string>();
      for (let i = 0; i < SHARED - 1; i++) expected.add(`${shared(i)} CONNECTS_TO ${shared(i + 1)}`);
      for (let w = 0; w < WRITERS; w++) {
        for (let i = 0; i < OWN; i++) expected.add(`${idOfSerial(`${prefix}-SN-w${w}-own-${i}`)} DEPENDS_ON ${shared((i * 3 + w) % SHARED)}`);
      }
      const actual = nodes.flatMap((n) => n.relationships.map((r) => `${r.from.id} ${r.type} ${r.to.id}`));
      const counts = new Map<string, number>();
      for (const a of actual) counts.set(a, (counts.get(a) ?? 0) + 1);
      expect([...counts].filter(([, c]) => c !== 1)).toEqual([]);
      expect([...counts.keys()].sort()).toEqual([...expected].sort());

      // Each relationship remembers every writer that reported it, once.
      const rels = await app.db.read(async (tx) => {
        const res = await tx.run(
          `MATCH (a:CI)-[r]->(b:CI) WHERE a.name STARTS WITH $prefix AND b.name STARTS WITH $prefix
           RETURN a.id AS from, type(r) AS type, b.id AS to, r.sources AS sources`,
          { prefix: `${prefix}-` },
        );
        return res.records.map((r) => ({ k: `${r.get('from') as string} ${r.get('type') as string} ${r.get('to') as string}`, sources: r.get('sources') as string[] }));
      });
      expect(rels).toHaveLength(expected.size);
      const chain = rels.find((r) => r.k === `${shared(0)} CONNECTS_TO ${shared(1)}`)!;
      expect([...chain.sources].sort()).toEqual(Array.from({ length: WRITERS }, (_, w) => `w${w}-${key}`).sort());
    });
  }
});
