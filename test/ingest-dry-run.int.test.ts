// Dry runs sent in chunks: a CI the first chunk would create gets a planned id that later chunks may name, checked
// by the class it was planned as, exactly as a real batch checks a stored CI; ids no dry run of this source issued
// are refused; and the same items planned twice get the same ids.
import { describe, expect, it } from 'vitest';
import { deleteDiscoveryTagged, send } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteDiscoveryTagged);

const host = (n: string) => ({ ref: n, className: 'LinuxServer', name: `${key}-${n}`, attributes: { serialNumber: `${key}-SN-${n}` } });
const app1 = () => ({ ref: 'app', className: 'Application', name: `${key}-billing` });

describe('a dry run in two chunks', () => {
  it('gives the same items the same planned ids every time', async () => {
    const a = await send(app, { source: `agent-${key}`, dryRun: true, items: [host('h1'), host('h2')] });
    const b = await send(app, { source: `agent-${key}`, dryRun: true, items: [host('h2'), host('h1')] });
    expect(a.items.map((i) => i.status)).toEqual(['CREATED', 'CREATED']);
    expect(a.items[0]!.id).toMatch(/^planned:/);
    expect(b.items.find((i) => i.ref === 'h1')!.id).toBe(a.items[0]!.id);
    expect(b.items.find((i) => i.ref === 'h2')!.id).toBe(a.items[1]!.id);
  });

  it("checks a relationship to a planned CI by its planned class, as a real batch would, and refuses unknown planned ids", async () => {
    const source = `agent-${key}`;
    const first = await send(app, { source, dryRun: true, items: [host('h1')] });
    const planned = first.items[0]!.id!;
    const second = await send(app, {
      source,
      dryRun: true,
      items: [host('h3'), app1()],
      relationships: [
        { type: 'RUNS_ON', from: { ref: 'app' }, to: { id: planned } },
        { type: 'RUNS_ON', from: { ref: 'h3' }, to: { id: planned } },
        { type: 'RUNS_ON', from: { ref: 'app' }, to: { id: 'planned:ci_0000000000000000000000' } },
        { type: 'RUNS_ON', from: { ref: 'app' }, to: { id: planned.replace('LinuxServer', 'KubernetesCluster') } },
      ],
    });
    const rels = second.relationships;
    expect(rels[0]).toMatchObject({ status: 'CREATED', toId: planned });
    expect(rels[1]).toMatchObject({ status: 'REJECTED' });
    expect(rels[1]!.errors[0]!.reason).toMatch(/RUNS_ON is not allowed from LinuxServer to LinuxServer/);
    expect(rels[2]).toMatchObject({ status: 'REJECTED' });
    expect(rels[2]!.errors[0]).toMatchObject({ field: 'to' });
    expect(rels[3]).toMatchObject({ status: 'REJECTED' });

    // Another source's dry run did not plan it, and a real batch never accepts a planned id.
    const other = await send(app, { source: `other-${key}`, dryRun: true, items: [app1()], relationships: [{ type: 'RUNS_ON', from: { ref: 'app' }, to: { id: planned } }] });
    expect(other.relationships[0]).toMatchObject({ status: 'REJECTED' });
    const real = await send(app, { source, items: [app1()], relationships: [{ type: 'RUNS_ON', from: { ref: 'app' }, to: { id: planned } }] });
    expect(real.relationships[0]).toMatchObject({ status: 'REJECTED' });
  });
});
