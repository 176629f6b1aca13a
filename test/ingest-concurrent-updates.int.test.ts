// Writers that change one CI at the same moment: two discovery sources updating different fields, or a person
// editing while a discovery batch runs. Neither may lose the other's value or the record of who set it, and a
// person's edit on a field that a source outranks people for is applied and says that source will replace it.
import { describe, expect, it } from 'vitest';
import { ERROR_FIELDS, type TypedError } from './helpers/ci-fixtures';
import { ciState, deleteDiscoveryTagged, send } from './helpers/discovery-fixtures';
import { useTestRipple, type TestRipple } from './helpers/ripple';

let app: TestRipple;
let key: string;
useTestRipple((started) => {
  app = started;
  key = started.key;
}, deleteDiscoveryTagged);

const SERVERS = 8;

function server(prefix: string, i: number, attributes: Record<string, unknown>) {
  return { ref: `s${i}`, className: 'LinuxServer', name: `${prefix}-${i}`, attributes: { serialNumber: `${prefix}-SN-${i}`, ...attributes } };
}

type UpdateResult = { __typename: string; data?: { changedFields: string[]; warnings: { field: string; reason: string }[] } } & Partial<TypedError>;

async function updateCi(input: Record<string, unknown>): Promise<UpdateResult> {
  const r = await app.data<{ updateCi: UpdateResult }>(
    `mutation ($input: UpdateCiInput!) { updateCi(input: $input) { __typename
       ... on MutationUpdateCiSuccess { data { changedFields warnings { field reason } } } ${ERROR_FIELDS} } }`,
    { input },
  );
  return r.updateCi;
}

async function valueAndSource(id: string, field: string): Promise<[unknown, string | undefined]> {
  const s = (await ciState(app, id))!;
  return [s.attributes[field], s.provenance.find((p) => p.field === field)?.source];
}

describe('concurrent updates of one CI', () => {
  for (let round = 0; round < 3; round++) {
    it(`two sources updating different fields at once keep both values and both provenances (round ${round + 1} of 3)`, async () => {
      const prefix = `${key}-two-${round}`;
      const created = await send(app, { source: `inventory-${key}`, items: Array.from({ length: SERVERS }, (_, i) => server(prefix, i, {})) });
      const ids = created.items.map((it) => it.id!);
      const inventory = `inventory-${key}`;
      const agent = `agent-${key}`;
      await Promise.all([
        send(app, { source: inventory, items: Array.from({ length: SERVERS }, (_, i) => server(prefix, i, { osVersion: `os-${round}-${i}` })) }),
        send(app, { source: agent, items: Array.from({ length: SERVERS }, (_, i) => server(prefix, i, { kernelVersion: `kernel-${round}-${i}` })) }),
      ]);
      for (const [i, id] of ids.entries()) {
        expect(await valueAndSource(id, 'osVersion'), `server ${i}`).toEqual([`os-${round}-${i}`, inventory]);
        expect(await valueAndSource(id, 'kernelVersion'), `server ${i}`).toEqual([`kernel-${round}-${i}`, agent]);
      }
    });
  }

  it("a person's edit made while a lower-ranked discovery batch writes the same field survives, whichever commits first", async () => {
    const prefix = `${key}-edit`;
    // localhost ranks below manual for a server's fields (schema/classes.yaml precedence).
    const created = await send(app, { source: 'localhost', items: Array.from({ length: SERVERS }, (_, i) => server(prefix, i, { osVersion: 'first' })) });
    const ids = created.items.map((it) => it.id!);
    const [edits] = await Promise.all([
      Promise.all(ids.map((id, i) => updateCi({ id, attributes: { osVersion: `by-hand-${i}` } }))),
      send(app, { source: 'localhost', items: Array.from({ length: SERVERS }, (_, i) => server(prefix, i, { osVersion: `discovered-${i}` })) }),
    ]);
    for (const e of edits) expect(e.__typename).toBe('MutationUpdateCiSuccess');
    for (const [i, id] of ids.entries()) expect(await valueAndSource(id, 'osVersion'), `server ${i}`).toEqual([`by-hand-${i}`, 'manual']);
  });
});

describe('a manual edit on a field a higher source owns', () => {
  it('is applied, warns that aws will replace it, and the next aws report does', async () => {
    const bucket = (region: string) => ({
      className: 'CloudBucket',
      name: `${key}-bucket`,
      attributes: { provider: 'aws', cloudResourceId: `arn:aws:s3:::${key}-bucket`, region, bucketName: `${key}-bucket` },
    });
    const id = (await send(app, { source: 'aws', items: [bucket('eu-west-1')] })).items[0]!.id!;
    const edit = await updateCi({ id, attributes: { region: 'us-east-1' }, description: 'holds invoices' });
    expect(edit.__typename).toBe('MutationUpdateCiSuccess');
    expect(edit.data!.changedFields.sort()).toEqual(['description', 'region']);
    expect(edit.data!.warnings).toHaveLength(1);
    expect(edit.data!.warnings[0]).toMatchObject({ field: 'attributes.region' });
    expect(edit.data!.warnings[0]!.reason).toMatch(/aws ranks above manual/);
    expect(await valueAndSource(id, 'region')).toEqual(['us-east-1', 'manual']);

    // As the warning said: aws's next report wins the region back; the description aws never sends stays.
    const again = await send(app, { source: 'aws', items: [bucket('eu-west-1')] });
    expect(again.items[0]).toMatchObject({ id, status: 'UPDATED', changedFields: ['region'] });
    expect(await valueAndSource(id, 'region')).toEqual(['eu-west-1', 'aws']);
    expect((await ciState(app, id))!.provenance.find((p) => p.field === 'description')?.source).toBe('manual');
  });

  it('on a server, where manual leads, comes back without a warning and the next discovery report keeps it', async () => {
    const prefix = `${key}-lead`;
    const id = (await send(app, { source: 'aws', items: [server(prefix, 0, { osVersion: 'from-aws' })] })).items[0]!.id!;
    const edit = await updateCi({ id, attributes: { osVersion: 'by-hand' } });
    expect(edit.data!.warnings).toEqual([]);
    const again = await send(app, { source: 'aws', items: [server(prefix, 0, { osVersion: 'from-aws-2' })] });
    expect(again.items[0]).toMatchObject({ id, status: 'UNCHANGED', keptFields: ['osVersion'] });
    expect(await valueAndSource(id, 'osVersion')).toEqual(['by-hand', 'manual']);
  });
});
