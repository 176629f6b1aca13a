import { loadClassModel } from '../server/domain/class-model/load-class-model';
import { validateAttributes } from '../server/domain/class-model/validate-attributes';
import { describe, expect, it } from 'vitest';
import {
  generateEstate,
  SEED_CLASS_NAMES,
  SEED_CLUSTER_SCOPED_CLASSES,
  SEED_HARDWARE_CLASSES,
  SHARED_DATABASE_CLUSTER,
  type SeedCi,
  type SeedEstate,
} from './index';

const model = loadClassModel();

const small = generateEstate();
const medium = generateEstate({ size: 3000 });

/** Attributes the class model allows per class (from the seed brief). */
const SERVER = ['serialNumber', 'hostname', 'domain', 'ipAddress', 'os', 'osVersion', 'cpuCount', 'memoryMb', 'manufacturer', 'model'];
const NETWORK = ['serialNumber', 'hostname', 'managementIp', 'model'];
const CLOUD = ['provider', 'cloudResourceId', 'region', 'accountId'];
const SOFTWARE = ['version', 'repositoryUrl', 'language'];
const ALLOWED: Record<string, string[]> = {
  LinuxServer: SERVER, WindowsServer: SERVER, Hypervisor: SERVER,
  Switch: NETWORK, Router: NETWORK, Firewall: NETWORK,
  StorageDevice: ['serialNumber', 'capacityGb'],
  VirtualMachine: ['vmUuid', 'hostname', 'cpuCount', 'memoryMb', 'os', 'ipAddress'],
  Container: ['containerId', 'image', 'runtime'],
  KubernetesCluster: ['clusterName', 'apiServerUrl', 'version'],
  KubernetesNode: ['nodeName', 'kubeletVersion'],
  KubernetesNamespace: ['namespace'],
  KubernetesWorkload: ['namespace', 'workloadName', 'kind', 'image', 'replicas'],
  KubernetesPod: ['namespace', 'podName'],
  KubernetesService: ['namespace', 'serviceName', 'serviceType', 'ports'],
  Database: ['engine', 'version', 'port', 'databaseName'],
  Cache: ['engine', 'version', 'port'],
  MessageQueue: ['engine', 'version', 'port'],
  Application: SOFTWARE, Microservice: SOFTWARE,
  Api: ['apiType', 'specUrl'],
  CloudBucket: CLOUD, CloudFunction: CLOUD, CloudManagedDatabase: CLOUD,
  SaasService: ['vendor', 'url'],
  DnsZone: ['zoneName'],
  DnsRecord: ['fqdn', 'recordType'],
  VirtualIp: ['address'],
  LoadBalancer: ['hostname', 'vip', 'redundancy'],
  Cluster: ['redundancy'],
  BusinessService: ['availabilityTarget', 'serviceTier'],
  ApplicationService: ['serviceTier'], TechnicalService: ['serviceTier'],
};
const INTEGER_ATTRS = new Set(['cpuCount', 'memoryMb', 'capacityGb', 'replicas', 'port']);
const ENUMS: Record<string, Record<string, string[]>> = {
  Database: { engine: ['postgresql', 'mysql', 'mongodb', 'oracle', 'mssql', 'other'] },
  Cache: { engine: ['redis', 'memcached'] },
  MessageQueue: { engine: ['kafka', 'rabbitmq'] },
  KubernetesWorkload: { kind: ['Deployment', 'StatefulSet', 'DaemonSet'] },
  Api: { apiType: ['openapi', 'asyncapi', 'graphql', 'grpc'] },
  CloudBucket: { provider: ['aws', 'gcp', 'azure'] },
  CloudFunction: { provider: ['aws', 'gcp', 'azure'] },
  CloudManagedDatabase: { provider: ['aws', 'gcp', 'azure'] },
};

/** Identification attributes that must be present and unique (within the cluster for cluster-scoped classes). */
const IDENTIFIERS: Record<string, string[][]> = {
  LinuxServer: [['serialNumber'], ['hostname', 'domain']],
  WindowsServer: [['serialNumber'], ['hostname', 'domain']],
  Hypervisor: [['serialNumber'], ['hostname', 'domain']],
  Switch: [['serialNumber']], Router: [['serialNumber']], Firewall: [['serialNumber']],
  StorageDevice: [['serialNumber']],
  VirtualMachine: [['vmUuid']],
  KubernetesCluster: [['clusterName']],
  KubernetesNode: [['nodeName']],
  KubernetesNamespace: [['namespace']],
  KubernetesWorkload: [['namespace', 'workloadName']],
  KubernetesPod: [['namespace', 'podName']],
  KubernetesService: [['namespace', 'serviceName']],
  Database: [['databaseName']],
  CloudBucket: [['cloudResourceId']], CloudFunction: [['cloudResourceId']], CloudManagedDatabase: [['cloudResourceId']],
  DnsZone: [['zoneName']], DnsRecord: [['fqdn']], VirtualIp: [['address']],
};

function index(e: SeedEstate) {
  const byKey = new Map(e.cis.map((c) => [c.key, c]));
  const out = new Map<string, { type: string; to: string }[]>();
  const inn = new Map<string, { type: string; from: string }[]>();
  for (const r of e.relationships) {
    (out.get(r.from) ?? out.set(r.from, []).get(r.from)!).push({ type: r.type, to: r.to });
    (inn.get(r.to) ?? inn.set(r.to, []).get(r.to)!).push({ type: r.type, from: r.from });
  }
  const byName = new Map(e.cis.map((c) => [c.name, c]));
  const named = (name: string): SeedCi => {
    const c = byName.get(name);
    if (!c) throw new Error(`no CI named ${name}`);
    return c;
  };
  const targets = (c: SeedCi, type?: string) =>
    (out.get(c.key) ?? []).filter((x) => !type || x.type === type).map((x) => byKey.get(x.to)!);
  /** Every CI reachable from `start` following edges in their direction (what `start` needs). */
  const reach = (start: string, types?: string[]): Set<string> => {
    const seen = new Set<string>([start]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const x of out.get(queue[i]!) ?? []) {
        if (types && !types.includes(x.type)) continue;
        if (!seen.has(x.to)) {
          seen.add(x.to);
          queue.push(x.to);
        }
      }
    }
    return seen;
  };
  /** Every CI that (transitively) needs `start`: its blast radius. */
  const dependents = (start: string): Set<string> => {
    const seen = new Set<string>([start]);
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      for (const x of inn.get(queue[i]!) ?? []) {
        if (!seen.has(x.from)) {
          seen.add(x.from);
          queue.push(x.from);
        }
      }
    }
    seen.delete(start);
    return seen;
  };
  return { byKey, out, inn, named, targets, reach, dependents };
}

function countBy<T>(items: T[], f: (t: T) => string): Record<string, number> {
  const r: Record<string, number> = {};
  for (const i of items) r[f(i)] = (r[f(i)] ?? 0) + 1;
  return r;
}

function checkIntegrity(e: SeedEstate): void {
  const { byKey, targets } = index(e);
  // Keys and names unique.
  expect(byKey.size).toBe(e.cis.length);
  expect(new Set(e.cis.map((c) => c.name)).size).toBe(e.cis.length);
  // Classes, enums, owners, attributes.
  const classes = new Set<string>(SEED_CLASS_NAMES);
  const teams = new Set(e.teams.map((t) => t.key));
  for (const c of e.cis) {
    expect(classes.has(c.className), `${c.key} class ${c.className}`).toBe(true);
    expect(['production', 'staging', 'test', 'development', 'dr']).toContain(c.environment);
    expect(['planned', 'operational', 'maintenance', 'retired']).toContain(c.lifecycle);
    expect([1, 2, 3, 4]).toContain(c.criticality);
    if (c.owner !== undefined) expect(teams.has(c.owner), `${c.key} owner ${c.owner}`).toBe(true);
    const allowed = ALLOWED[c.className]!;
    for (const [k, v] of Object.entries(c.attributes)) {
      expect(allowed, `${c.key} attribute ${k}`).toContain(k);
      if (INTEGER_ATTRS.has(k)) expect(Number.isInteger(v), `${c.key}.${k}=${String(v)}`).toBe(true);
      const en = ENUMS[c.className]?.[k];
      if (en) expect(en, `${c.key}.${k}`).toContain(v);
      if (k === 'redundancy') expect(v).toMatch(/^(all|any|atLeast:[1-9]\d*|percent:(100|[1-9]\d?))$/);
    }
    if (c.className === 'Cluster' || c.className === 'LoadBalancer') expect(c.attributes.redundancy).toBeTypeOf('string');
  }
  // Relationship ends exist; no duplicates, no self-loops; direction by class.
  const seen = new Set<string>();
  for (const r of e.relationships) {
    const from = byKey.get(r.from);
    const to = byKey.get(r.to);
    expect(from, `missing ${r.from}`).toBeDefined();
    expect(to, `missing ${r.to}`).toBeDefined();
    expect(r.from).not.toBe(r.to);
    const id = `${r.type}|${r.from}|${r.to}`;
    expect(seen.has(id), `duplicate ${id}`).toBe(false);
    seen.add(id);
    expect(model.allowsRelationship(r.type, from!.className, to!.className), `class model refuses ${r.from} ${r.type} ${r.to}`).toBe(true);
    if (r.type === 'HAS_MEMBER') expect(['Cluster', 'LoadBalancer']).toContain(from!.className);
    if (r.type === 'HOSTED_ON') {
      const pairs: Record<string, string[]> = {
        VirtualMachine: ['Hypervisor'], KubernetesPod: ['KubernetesNode'], KubernetesNode: ['VirtualMachine'],
        Container: ['LinuxServer', 'KubernetesNode'], DnsRecord: ['DnsZone'],
      };
      expect(pairs[from!.className], `${r.from} HOSTED_ON ${r.to}`).toContain(to!.className);
    }
  }
  // Identification: present and unique; cluster-scoped ones RUNS_ON exactly one KubernetesCluster.
  const scoped = new Set<string>(SEED_CLUSTER_SCOPED_CLASSES);
  const used = new Set<string>();
  for (const c of e.cis) {
    let scope = '';
    if (scoped.has(c.className)) {
      const clusters = targets(c, 'RUNS_ON').filter((t) => t.className === 'KubernetesCluster');
      expect(clusters.length, `${c.key} RUNS_ON its cluster`).toBe(1);
      scope = clusters[0]!.key;
    }
    if (['Database', 'Cache', 'MessageQueue'].includes(c.className)) {
      expect(targets(c, 'RUNS_ON').length, `${c.key} RUNS_ON its host`).toBe(1);
    }
    for (const rule of IDENTIFIERS[c.className] ?? []) {
      const values = rule.map((a) => c.attributes[a]);
      for (const v of values) expect(typeof v === 'string' && v.length > 0, `${c.key} ${rule.join('+')}`).toBe(true);
      const id = `${c.className}|${rule.join('+')}|${scope}|${values.join('|')}`;
      expect(used.has(id), `duplicate identification ${id}`).toBe(false);
      used.add(id);
    }
  }
  // The shape of the platform layer.
  for (const c of e.cis) {
    if (c.className === 'KubernetesPod') expect(targets(c, 'HOSTED_ON').map((t) => t.className)).toEqual(['KubernetesNode']);
    if (c.className === 'VirtualMachine') expect(targets(c, 'HOSTED_ON').map((t) => t.className)).toEqual(['Hypervisor']);
    if (c.className === 'KubernetesNode') expect(targets(c, 'HOSTED_ON').map((t) => t.className)).toEqual(['VirtualMachine']);
    if (c.className === 'Microservice' && c.lifecycle !== 'planned') {
      expect(targets(c, 'RUNS_ON').map((t) => t.className)).toEqual(['KubernetesWorkload']);
    }
  }
}

function checkServicesReachHardware(e: SeedEstate): void {
  const { reach, byKey } = index(e);
  const hw = new Set<string>(SEED_HARDWARE_CLASSES);
  const services = e.cis.filter((c) => c.className === 'BusinessService');
  expect(services.length).toBeGreaterThan(0);
  for (const s of services) {
    const needs = [...reach(s.key)].map((k) => byKey.get(k)!);
    expect(needs.some((c) => hw.has(c.className)), `${s.name} reaches hardware`).toBe(true);
    expect(needs.some((c) => c.className === 'ApplicationService')).toBe(true);
  }
}

describe('generateEstate', () => {
  it('is deterministic: same options give deep-equal, byte-identical output', () => {
    expect(generateEstate()).toEqual(small);
    expect(JSON.stringify(generateEstate({ size: 300, seed: 1 }))).toBe(JSON.stringify(small));
    expect(JSON.stringify(generateEstate({ size: 3000 }))).toBe(JSON.stringify(medium));
    const other = generateEstate({ seed: 2 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(small));
    checkIntegrity(other);
  });

  it('lands within 10% of the requested size', () => {
    for (const [size, e] of [[300, small], [3000, medium]] as const) {
      expect(Math.abs(e.cis.length - size) / size).toBeLessThanOrEqual(0.1);
    }
    const e = generateEstate({ size: 1000, seed: 7 });
    expect(Math.abs(e.cis.length - 1000) / 1000).toBeLessThanOrEqual(0.1);
  });

  it('keeps keys, names, identification and relationship ends consistent', () => {
    checkIntegrity(small);
    checkIntegrity(medium);
  });

  it('lets every business service reach hardware through its dependencies', () => {
    checkServicesReachHardware(small);
    checkServicesReachHardware(medium);
  });

  it('models the default shop: teams, services, platforms, redundancy and lifecycles', () => {
    const { named, targets, reach, byKey } = index(small);
    expect(small.teams.length).toBeGreaterThanOrEqual(8);
    expect(small.teams.length).toBeLessThanOrEqual(10);
    for (const t of small.teams) expect(t.email).toBe(`${t.key}@example.com`);

    for (const n of ['Online Shop', 'Payments', 'Product Search', 'Warehouse Management', 'Customer Accounts']) {
      const bs = named(n);
      expect(bs.className).toBe('BusinessService');
      expect(bs.criticality).toBeLessThanOrEqual(2);
      expect(bs.attributes.availabilityTarget).toBeTypeOf('number');
      expect(bs.owner).toBeDefined();
      expect(targets(bs, 'DEPENDS_ON').every((t) => t.className === 'ApplicationService')).toBe(true);
    }
    for (const n of ['Kubernetes Platform', 'PostgreSQL Platform', 'DNS', 'Messaging', 'Observability']) {
      expect(named(n).className).toBe('TechnicalService');
    }
    const stripe = named('Stripe Payments API');
    expect(stripe.attributes.vendor).toBe('Stripe');
    expect(reach(named('Payments').key).has(stripe.key)).toBe(true);

    const clusters = small.cis.filter((c) => c.className === 'KubernetesCluster');
    expect(clusters.map((c) => c.environment).sort()).toEqual(['production', 'staging']);
    for (const k of clusters) {
      const pool = targets(k, 'DEPENDS_ON').find((t) => t.className === 'Cluster')!;
      const nodes = targets(pool, 'HAS_MEMBER');
      expect(nodes.length).toBeGreaterThanOrEqual(3);
      expect(nodes.length).toBeLessThanOrEqual(6);
      expect(nodes.every((n) => n.className === 'KubernetesNode')).toBe(true);
    }

    const shared = named(SHARED_DATABASE_CLUSTER);
    expect(shared.attributes.redundancy).toBe('atLeast:2');
    expect(targets(shared, 'HAS_MEMBER').map((m) => m.className)).toEqual(['Database', 'Database', 'Database']);
    expect(targets(named('PostgreSQL Platform'), 'DEPENDS_ON')).toContain(shared);
    expect(named('redis-sessions').attributes.redundancy).toBe('any');
    expect(targets(named('kafka-events'), 'HAS_MEMBER').every((m) => m.className === 'MessageQueue')).toBe(true);

    // Network path: hypervisor -> top-of-rack -> core pair -> core switch -> routers -> firewalls.
    const hv = small.cis.find((c) => c.className === 'Hypervisor')!;
    const path = [...reach(hv.key, ['CONNECTS_TO', 'HAS_MEMBER'])].map((k) => byKey.get(k)!.className);
    expect(path).toEqual(expect.arrayContaining(['Switch', 'Router', 'Firewall']));

    const counts = countBy(small.cis, (c) => c.className);
    for (const cls of SEED_CLASS_NAMES) expect(counts[cls] ?? 0, cls).toBeGreaterThan(0);
    const env = countBy(small.cis, (c) => c.environment);
    expect(env.staging).toBeGreaterThan(5);
    expect(env.test).toBeGreaterThan(0);
    const life = countBy(small.cis, (c) => c.lifecycle);
    expect(life.maintenance).toBeGreaterThanOrEqual(2);
    expect(life.retired).toBeGreaterThanOrEqual(2);
    const crit = countBy(small.cis, (c) => String(c.criticality));
    for (const k of ['1', '2', '3', '4']) expect(crit[k]).toBeGreaterThan(0);
    for (const c of small.cis) {
      if (['BusinessService', 'ApplicationService', 'TechnicalService', 'Application', 'Microservice', 'Database',
        'LinuxServer', 'WindowsServer', 'Hypervisor', 'VirtualMachine'].includes(c.className)) {
        expect(c.owner, `${c.key} owner`).toBeDefined();
      }
    }
  });

  it('contains a deliberate dependency cycle between two microservices', () => {
    const { named, reach } = index(small);
    const order = named('order-service');
    const inventory = named('inventory-service');
    expect(reach(order.key, ['DEPENDS_ON']).has(inventory.key)).toBe(true);
    expect(reach(inventory.key, ['DEPENDS_ON']).has(order.key)).toBe(true);
  });

  it('gives the shared database cluster many dependents at size 3,000', () => {
    const { named, inn, dependents, byKey } = index(medium);
    const shared = named(SHARED_DATABASE_CLUSTER);
    const direct = (inn.get(shared.key) ?? []).filter((x) => x.type === 'DEPENDS_ON');
    expect(direct.length).toBeGreaterThanOrEqual(100);
    const all = [...dependents(shared.key)].map((k) => byKey.get(k)!);
    expect(all.filter((c) => c.className === 'BusinessService').length).toBeGreaterThanOrEqual(30);
    expect(all.length).toBeGreaterThanOrEqual(300);
  });

  it('scales to 100,000 CIs quickly and within 10%', () => {
    const t = performance.now();
    const big = generateEstate({ size: 100_000 });
    const ms = performance.now() - t;
    expect(Math.abs(big.cis.length - 100_000) / 100_000).toBeLessThanOrEqual(0.1);
    expect(ms).toBeLessThan(10_000); // ~1 s on an idle laptop; generous for shared CI machines
    const keys = new Set(big.cis.map((c) => c.key));
    expect(keys.size).toBe(big.cis.length);
    for (const r of big.relationships) {
      if (!keys.has(r.from) || !keys.has(r.to)) throw new Error(`dangling ${r.type} ${r.from} -> ${r.to}`);
    }
    const shared = big.cis.find((c) => c.name === SHARED_DATABASE_CLUSTER)!;
    const direct = big.relationships.filter((r) => r.to === shared.key && r.type === 'DEPENDS_ON').length;
    expect(direct).toBeGreaterThan(1000);
  }, 60_000);
});

describe('the estate and the class model', () => {
  it('gives every CI attributes the class model accepts, so no seed item is rejected', () => {
    for (const size of [300, 3000]) {
      const problems: string[] = [];
      for (const c of generateEstate({ size }).cis) {
        const r = validateAttributes(model, c.className, { name: c.name, environment: c.environment, lifecycle: c.lifecycle, criticality: c.criticality, ...c.attributes });
        if (!r.ok) problems.push(`${c.key}: ${r.errors.map((e) => `${e.field} ${e.reason}`).join('; ')}`);
      }
      expect(problems.slice(0, 5)).toEqual([]);
    }
  });
});
