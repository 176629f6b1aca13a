// Identification that converges: writers describing one server through different identification rules (its
// serial number, or only hostname + domain), at the same moment or inside one batch, leave one CI per server;
// a person's edit moves a CI's keys with its values and is refused when another CI holds the new one.
import { describe, expect, it } from 'vitest';
import { ERROR_FIELDS, type TypedError, type UpsertPayload, type UpsertResult } from './helpers/ci-fixtures';
import { deleteDiscoveryTagged, send, sendRaw } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteDiscoveryTagged);

const WRITERS = 8;
const SERVERS = 12;
const ROUNDS = 3;
const DOMAIN = 'prod.example.com';

/** What real discovery sees of one server: an agent reads its serial, a network scan only its DNS name. */
function server(prefix: string, i: number, withSerial: boolean) {
  return {
    ref: `s${i}`,
    className: 'LinuxServer',
    name: `${prefix}-host-${i}`,
    attributes: { hostname: `${prefix}-host-${i}`, domain: DOMAIN, ...(withSerial ? { serialNumber: `${prefix}-SN-${i}` } : {}) },
  };
}

interface Listed {
  id: string;
  attributes: { hostname?: string; serialNumber?: string };
}

async function serversNamed(prefix: string): Promise<Listed[]> {
  const r = await app.data<{ cis: { nodes: Listed[] } }>(`query ($f: CiFilter) { cis(filter: $f, first: 500) { nodes { id attributes } } }`, {
    f: { nameContains: `${prefix}-host-` },
  });
  return r.cis.nodes;
}

function succeeded(r: UpsertResult, who: string): UpsertPayload {
  expect(r.__typename, `${who}: ${JSON.stringify(r)}`).toBe('MutationUpsertCisSuccess');
  if (r.__typename !== 'MutationUpsertCisSuccess') throw new Error('unreachable');
  expect(r.data.items.filter((i) => i.status === 'REJECTED'), who).toEqual([]);
  return r.data;
}

/** One CI per hostname, carrying the serial the agents sent. */
function expectOnePerServer(nodes: Listed[], prefix: string): void {
  const byHost = new Map<string, Listed[]>();
  for (const n of nodes) byHost.set(n.attributes.hostname!, [...(byHost.get(n.attributes.hostname!) ?? []), n]);
  expect([...byHost].filter(([, ns]) => ns.length !== 1).map(([h]) => h)).toEqual([]);
  expect(byHost.size).toBe(SERVERS);
  for (let i = 0; i < SERVERS; i++) expect(byHost.get(`${prefix}-host-${i}`)![0]!.attributes.serialNumber).toBe(`${prefix}-SN-${i}`);
}

describe('writers describing one server through different identification rules', () => {
  for (let round = 0; round < ROUNDS; round++) {
    it(`eight at once, half with the serial number and half with only hostname + domain, leave one CI per server (round ${round + 1} of ${ROUNDS})`, async () => {
      const prefix = `${key}-r${round}`;
      const settled = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, w) => {
          const items = Array.from({ length: SERVERS }, (_, i) => server(prefix, i, w % 2 === 0));
          // Each writer lists the servers from a different starting point, so they reach the keys in different orders.
          const rotated = [...items.slice(w % SERVERS), ...items.slice(0, w % SERVERS)];
          return sendRaw(app, { source: `w${w}-${key}`, items: rotated });
        }),
      );
      expect(settled.flatMap((s, w) => (s.status === 'rejected' ? [`writer ${w}: ${String(s.reason)}`] : []))).toEqual([]);
      const payloads = settled.map((s, w) => succeeded((s as PromiseFulfilledResult<UpsertResult>).value, `writer ${w}`));
      for (let i = 0; i < SERVERS; i++) {
        const outcomes = payloads.map((p) => p.items.find((it) => it.ref === `s${i}`)!);
        expect(new Set(outcomes.map((o) => o.id)).size, `server ${i}: every writer got the same CI`).toBe(1);
        expect(outcomes.filter((o) => o.status === 'CREATED'), `server ${i}`).toHaveLength(1);
      }
      expectOnePerServer(await serversNamed(prefix), prefix);

      // Sent again in either form, each server is found, not refused as a duplicate.
      const again = succeeded(await sendRaw(app, { source: `scan-${key}`, items: [server(prefix, 0, false)] }), 'scan');
      expect(again.items[0]!.id).toBe(payloads[0]!.items.find((it) => it.ref === 's0')!.id);
    });
  }

  it('inside one batch, in either order, the two descriptions of a server give one CI', async () => {
    const prefix = `${key}-batch`;
    const items = Array.from({ length: SERVERS }, (_, i) => {
      const pair = [server(prefix, i, true), server(prefix, i, false)];
      return (i % 2 ? pair.reverse() : pair).map((it, j) => ({ ...it, ref: `s${i}-${j}` }));
    }).flat();
    const p = await send(app, { source: `agent-${key}`, items });
    expect(p.items.filter((i) => i.status === 'REJECTED')).toEqual([]);
    expect(p.counts.created).toBe(SERVERS);
    for (let i = 0; i < SERVERS; i++) expect(p.items.find((it) => it.ref === `s${i}-0`)!.id).toBe(p.items.find((it) => it.ref === `s${i}-1`)!.id);
    expectOnePerServer(await serversNamed(prefix), prefix);
  });

  it('a server replaced under the same hostname is a new CI, and the old one keeps its serial', async () => {
    const prefix = `${key}-swap`;
    const old = await send(app, { source: `agent-${key}`, items: [server(prefix, 0, true)] });
    const replacement = { ...server(prefix, 0, true), attributes: { hostname: `${prefix}-host-0`, domain: DOMAIN, serialNumber: `${prefix}-SN-new` } };
    const p = await send(app, { source: `agent-${key}`, items: [replacement] });
    expect(p.items[0]).toMatchObject({ status: 'CREATED' });
    expect(p.items[0]!.id).not.toBe(old.items[0]!.id);
    // The hostname alone now names two servers: reported, never merged.
    const scan = await send(app, { source: `scan-${key}`, items: [server(prefix, 0, false)] });
    expect(scan.items[0]!.status).toBe('REJECTED');
    expect(scan.items[0]!.errors[0]!.reason).toMatch(/duplicate conflict/);
  });
});

type UpdateResult = { __typename: string; data?: { changedFields: string[] } } & Partial<TypedError>;

async function updateCi(input: Record<string, unknown>): Promise<UpdateResult> {
  const r = await app.data<{ updateCi: UpdateResult }>(
    `mutation ($input: UpdateCiInput!) { updateCi(input: $input) { __typename
       ... on MutationUpdateCiSuccess { data { changedFields } } ${ERROR_FIELDS} } }`,
    { input },
  );
  return r.updateCi;
}

describe('a person editing identifying values', () => {
  it('cannot give a server the serial number another CI holds: a typed conflict naming that CI, nothing written', async () => {
    const prefix = `${key}-edit`;
    const p = await send(app, { source: `agent-${key}`, items: [server(prefix, 0, true), server(prefix, 1, true)] });
    const [a, b] = p.items.map((i) => i.id!);
    const r = await updateCi({ id: b, attributes: { serialNumber: `${prefix}-SN-0` } });
    expect(r).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', field: 'attributes.serialNumber', existingId: a });
    const after = await serversNamed(prefix);
    expect(after.find((n) => n.id === b)!.attributes.serialNumber).toBe(`${prefix}-SN-1`);
  });

  it('moves the keys with the values: the new serial finds the CI, the old one is free for another server', async () => {
    const prefix = `${key}-rekey`;
    const p = await send(app, { source: `agent-${key}`, items: [server(prefix, 0, true)] });
    const id = p.items[0]!.id!;
    expect(await updateCi({ id, attributes: { serialNumber: `${prefix}-SN-fixed` } })).toMatchObject({ __typename: 'MutationUpdateCiSuccess' });
    const bySerial = (serial: string, host: string) => ({
      className: 'LinuxServer',
      name: `${prefix}-host-${host}`,
      attributes: { serialNumber: serial, hostname: `${prefix}-host-${host}`, domain: DOMAIN },
    });
    const found = await send(app, { source: `other-${key}`, items: [bySerial(`${prefix}-SN-fixed`, '0')] });
    expect(found.items[0]).toMatchObject({ id, status: 'UNCHANGED' });
    const reused = await send(app, { source: `other-${key}`, items: [bySerial(`${prefix}-SN-0`, '9')] });
    expect(reused.items[0]).toMatchObject({ status: 'CREATED' });
    expect(reused.items[0]!.id).not.toBe(id);
  });
});
