// Owns the deterministic, I/O-free generator of Ripple's demo IT estate (teams, CIs, relationships) as plain data.

export type SeedEnvironment = 'production' | 'staging' | 'test' | 'development' | 'dr';
export type SeedLifecycle = 'planned' | 'operational' | 'maintenance' | 'retired';
export type SeedCriticality = 1 | 2 | 3 | 4;
export type SeedAttributeValue = string | number | boolean | string[];
export type SeedRelationshipType = 'DEPENDS_ON' | 'RUNS_ON' | 'HOSTED_ON' | 'HAS_MEMBER' | 'CONNECTS_TO';

export interface SeedTeam {
  key: string;
  name: string;
  email: string;
  onCall?: string;
  slackChannel?: string;
}

export interface SeedCi {
  key: string;
  className: string;
  name: string;
  environment: SeedEnvironment;
  lifecycle: SeedLifecycle;
  criticality: SeedCriticality;
  /** Team key. */
  owner?: string;
  description?: string;
  attributes: Record<string, SeedAttributeValue>;
}

/** `from` needs `to`: if `to` fails, `from` is impacted. */
export interface SeedRelationship {
  type: SeedRelationshipType;
  from: string;
  to: string;
}

export interface SeedEstate {
  teams: SeedTeam[];
  cis: SeedCi[];
  relationships: SeedRelationship[];
}

export interface GenerateEstateOptions {
  /** Target CI count (default 300). The result lands within a few percent of it from about 300 upwards. */
  size?: number;
  /** PRNG seed (default 1). Same options give byte-identical output. */
  seed?: number;
}

/** The class names the seed uses, all taken from Ripple's class model. */
export const SEED_CLASS_NAMES = [
  'LinuxServer', 'WindowsServer', 'Hypervisor', 'Switch', 'Router', 'Firewall', 'StorageDevice',
  'VirtualMachine', 'Container', 'KubernetesCluster', 'KubernetesNode', 'KubernetesNamespace', 'KubernetesWorkload',
  'KubernetesPod', 'KubernetesService', 'Database', 'Cache', 'MessageQueue', 'Application', 'Microservice', 'Api',
  'CloudBucket', 'CloudFunction', 'CloudManagedDatabase', 'SaasService', 'DnsZone', 'DnsRecord', 'VirtualIp',
  'LoadBalancer', 'Cluster', 'BusinessService', 'ApplicationService', 'TechnicalService',
] as const;
export type SeedClassName = (typeof SEED_CLASS_NAMES)[number];

/** Physical classes: every business service must reach one of these through its dependencies. */
export const SEED_HARDWARE_CLASSES: readonly SeedClassName[] = [
  'LinuxServer', 'WindowsServer', 'Hypervisor', 'Switch', 'Router', 'Firewall', 'StorageDevice',
];

/** Classes whose identification attributes are unique only within their Kubernetes cluster. */
export const SEED_CLUSTER_SCOPED_CLASSES: readonly SeedClassName[] = [
  'KubernetesNode', 'KubernetesNamespace', 'KubernetesWorkload', 'KubernetesPod', 'KubernetesService',
];

/** Name of the shared PostgreSQL cluster that most services depend on (the benchmark's hot spot). */
export const SHARED_DATABASE_CLUSTER = 'postgres-shared';

const REL_CODE: Record<SeedRelationshipType, number> = {
  DEPENDS_ON: 0, RUNS_ON: 1, HOSTED_ON: 2, HAS_MEMBER: 3, CONNECTS_TO: 4,
};

const KEY_PREFIX: Record<SeedClassName, string> = {
  LinuxServer: 'srv', WindowsServer: 'win', Hypervisor: 'hv', Switch: 'sw', Router: 'rtr', Firewall: 'fw',
  StorageDevice: 'stor', VirtualMachine: 'vm', Container: 'ctr', KubernetesCluster: 'k8s', KubernetesNode: 'k8snode',
  KubernetesNamespace: 'k8sns', KubernetesWorkload: 'k8swl', KubernetesPod: 'pod', KubernetesService: 'k8ssvc',
  Database: 'db', Cache: 'cache', MessageQueue: 'mq', Application: 'app', Microservice: 'ms', Api: 'api',
  CloudBucket: 'bucket', CloudFunction: 'fn', CloudManagedDatabase: 'clouddb', SaasService: 'saas', DnsZone: 'zone',
  DnsRecord: 'dns', VirtualIp: 'vip', LoadBalancer: 'lb', Cluster: 'cluster', BusinessService: 'bs',
  ApplicationService: 'as', TechnicalService: 'ts',
};

// ---------------------------------------------------------------------------------------------------------------
// Tunables (capacities drive how the same shape grows with `size`).

const DEFAULT_SIZE = 300;
const PODS_PER_NODE = 16;
const VMS_PER_HYPERVISOR = 10;
const SERVERS_PER_RACK = 16;
const HYPERVISORS_PER_SAN = 24;
const WORKLOADS_PER_PROD_CLUSTER = 400;
const WORKLOADS_PER_STAGING_CLUSTER = 300;
const MIN_PROD_NODES = 4;
const MIN_STAGING_NODES = 3;
const DC_DOMAIN = 'dc1.example.internal';
const PUBLIC_ZONE = 'example.com';
const INTERNAL_ZONE = 'internal.example.com';

// ---------------------------------------------------------------------------------------------------------------
// Small deterministic helpers.

/** mulberry32: a tiny seeded generator, so an estate (or a fuzz run) can be repeated exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function at<T>(list: readonly T[], index: number): T {
  const v = list[index];
  if (v === undefined) throw new Error(`seed: index ${index} out of range (${list.length})`);
  return v;
}

const SLUG_SAFE = /^[a-z0-9._/:@]+(?:-[a-z0-9._/:@]+)*$/;

function slugify(s: string): string {
  if (SLUG_SAFE.test(s)) return s;
  return s
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9._/:@-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The n-th (0-based) host address in a /16 whose first two octets are given, skipping .0 and .255. */
function ipIn(prefix: string, n: number): string {
  const third = Math.floor(n / 254);
  if (third > 255) throw new Error(`seed: address space ${prefix}.0.0/16 exhausted`);
  return `${prefix}.${third}.${(n % 254) + 1}`;
}

const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

// ---------------------------------------------------------------------------------------------------------------
// Reference data.

type Crit = SeedCriticality;
type ApiType = 'openapi' | 'asyncapi' | 'graphql' | 'grpc';

const CORE_TEAMS: readonly SeedTeam[] = [
  team('checkout', 'Checkout'),
  team('payments', 'Payments'),
  team('search', 'Search'),
  team('warehouse', 'Warehouse'),
  team('identity', 'Identity'),
  team('platform', 'Platform'),
  team('data', 'Data'),
  team('network', 'Network'),
  team('sre', 'SRE'),
];

function team(key: string, name: string): SeedTeam {
  return {
    key,
    name,
    email: `${key}@example.com`,
    onCall: `${key}-primary`,
    slackChannel: `#team-${key}`,
  };
}

const LANGUAGES = ['Java', 'Kotlin', 'Go', 'TypeScript', 'Python'] as const;
const APP_VERSIONS = ['1.4.2', '2.0.1', '2.3.0', '3.1.7', '1.12.0', '4.0.3', '0.9.8', '5.2.1'];

interface ExtraDomain {
  name: string;
  crit: Crit;
  stems: readonly string[];
}

/** Business lines added beyond the core estate as `size` grows (then repeated per region). */
const EXTRA_DOMAINS: readonly ExtraDomain[] = [
  { name: 'Loyalty', crit: 2, stems: ['points', 'rewards', 'tiers', 'referrals'] },
  { name: 'Returns', crit: 2, stems: ['returns', 'labels', 'inspection'] },
  { name: 'Gift Cards', crit: 2, stems: ['giftcard', 'balance', 'redemption'] },
  { name: 'Recommendations', crit: 2, stems: ['recs', 'ranking', 'feature-store', 'trending'] },
  { name: 'Reviews', crit: 3, stems: ['reviews', 'moderation', 'ratings'] },
  { name: 'Marketplace', crit: 2, stems: ['sellers', 'listings', 'commission', 'onboarding'] },
  { name: 'Subscriptions', crit: 2, stems: ['subscriptions', 'renewals', 'entitlements'] },
  { name: 'Shipping', crit: 1, stems: ['rates', 'carriers', 'tracking', 'labels'] },
  { name: 'Pricing', crit: 1, stems: ['pricing', 'price-rules', 'currency'] },
  { name: 'Promotions', crit: 2, stems: ['promotions', 'coupons', 'campaigns'] },
  { name: 'Customer Support', crit: 3, stems: ['tickets', 'chat', 'knowledge-base'] },
  { name: 'Analytics', crit: 3, stems: ['events', 'clickstream', 'reporting', 'attribution'] },
  { name: 'Tax', crit: 2, stems: ['tax-calc', 'tax-reports'] },
  { name: 'Invoicing', crit: 2, stems: ['invoices', 'dunning', 'ledger'] },
  { name: 'Wishlist', crit: 3, stems: ['wishlist', 'sharing'] },
  { name: 'Store Locator', crit: 3, stems: ['stores', 'geocoding'] },
  { name: 'Click & Collect', crit: 2, stems: ['pickup', 'slots', 'lockers'] },
  { name: 'Product Content', crit: 3, stems: ['content', 'media', 'translations'] },
  { name: 'B2B Ordering', crit: 2, stems: ['quotes', 'b2b-orders', 'approvals'] },
  { name: 'Affiliates', crit: 3, stems: ['affiliates', 'tracking-links', 'payouts'] },
  { name: 'Risk Scoring', crit: 2, stems: ['risk', 'rules', 'device-fingerprint'] },
  { name: 'Mobile Backend', crit: 2, stems: ['bff', 'push', 'feature-flags'] },
  { name: 'Partner Integrations', crit: 3, stems: ['edi', 'partner-gateway', 'webhooks'] },
  { name: 'Supplier Portal', crit: 3, stems: ['suppliers', 'purchase-orders', 'catalog-import'] },
];

const REGIONS = ['EU', 'US', 'UK', 'APAC', 'LATAM', 'Nordics', 'DACH', 'Benelux', 'Iberia', 'Japan', 'India', 'ANZ'];

// ---------------------------------------------------------------------------------------------------------------
// Builder state.

interface CiInit {
  env?: SeedEnvironment;
  lifecycle?: SeedLifecycle;
  crit: Crit;
  owner?: string;
  description?: string;
  attrs?: Record<string, SeedAttributeValue>;
}

interface Rack {
  tor: SeedCi;
  used: number;
}

interface HostPool {
  label: string;
  env: SeedEnvironment;
  hypervisors: SeedCi[];
  vms: number;
  cursor: number;
}

interface KubeCluster {
  ci: SeedCi;
  name: string;
  env: SeedEnvironment;
  pool: SeedCi;
  nodes: SeedCi[];
  pods: number;
  cursor: number;
  workloads: number;
  namespaces: Map<string, SeedCi>;
  daemonSets: { wl: SeedCi; ns: string; name: string }[];
  vip?: SeedCi;
  lb?: SeedCi;
  version: string;
}

interface Deployed {
  ms: SeedCi;
  wl: SeedCi;
  svc: SeedCi;
  kube: KubeCluster;
  ns: string;
  name: string;
  hash: string;
  owner: string;
  crit: Crit;
}

interface MsDef {
  name: string;
  lang: string;
  replicas: number;
  api?: { name: string; type: ApiType };
  /** Keys into the shared dependency registry (`Builder.deps`), or 'own-db' for the line's dedicated cluster. */
  uses: string[];
  /** Microservice names this one calls (resolved after all lines exist, so cycles across lines are possible). */
  calls?: string[];
  staging?: boolean;
  lifecycle?: SeedLifecycle;
  description?: string;
}

interface AppDef {
  name: string;
  crit: Crit;
  dns?: string;
  ms: MsDef[];
  extra?: string[];
  description?: string;
}

interface LineDef {
  name: string;
  ns: string;
  team: string;
  crit: Crit;
  target: number;
  tier: string;
  description?: string;
  ownDb?: { name: string; engine: 'postgresql' | 'mysql' | 'mongodb'; logical: string; host: 'vm' | 'metal' };
  apps: AppDef[];
}

class Builder {
  readonly teams: SeedTeam[] = [];
  readonly cis: SeedCi[] = [];
  readonly relationships: SeedRelationship[] = [];
  /** Named CIs other parts of the estate point at (data clusters, SaaS, technical services...). */
  readonly deps = new Map<string, SeedCi>();
  readonly rng: () => number;

  private readonly byName = new Map<string, SeedCi>();
  private readonly keys = new Set<string>();
  /** Dense id per CI and, per id, its outgoing edges as `to * 5 + type` (small lists: cheap de-duplication). */
  private readonly ids = new Map<SeedCi, number>();
  private readonly out: number[][] = [];
  private readonly taken = new Map<string, Set<string>>();
  private readonly teamKeys = new Set<string>();
  private readonly ipCounters = new Map<string, number>();

  readonly racks: Rack[] = [];
  readonly sans: SeedCi[] = [];
  readonly pools = new Map<string, HostPool>();
  readonly prodClusters: KubeCluster[] = [];
  readonly stagingClusters: KubeCluster[] = [];
  readonly deployed = new Map<string, Deployed>();
  readonly apis = new Map<string, SeedCi>();
  readonly pendingCalls: { from: SeedCi; to: string }[] = [];
  readonly topUp: Deployed[] = [];
  private hypervisorCount = 0;
  private extraLines = 0;

  corePair!: SeedCi;

  constructor(seed: number) {
    this.rng = mulberry32(seed);
  }

  // ----- primitives

  pick<T>(list: readonly T[]): T {
    return at(list, Math.floor(this.rng() * list.length));
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }

  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet.charAt(Math.floor(this.rng() * alphabet.length));
    return s;
  }

  /** A value unique within `scope`, drawn from `make` until it is unused. */
  unique(scope: string, make: () => string): string {
    let set = this.taken.get(scope);
    if (!set) {
      set = new Set();
      this.taken.set(scope, set);
    }
    for (;;) {
      const v = make();
      if (!set.has(v)) {
        set.add(v);
        return v;
      }
    }
  }

  ip(prefix: string): string {
    const n = this.ipCounters.get(prefix) ?? 0;
    this.ipCounters.set(prefix, n + 1);
    return ipIn(prefix, n);
  }

  /** Public VIPs: the documentation ranges first, then shared address space. */
  publicIp(): string {
    const n = this.ipCounters.get('public') ?? 0;
    this.ipCounters.set('public', n + 1);
    if (n < 254) return `203.0.113.${n + 1}`;
    if (n < 508) return `198.51.100.${n - 253}`;
    return ipIn('100.64', n - 508);
  }

  uuid(): string {
    return this.unique('uuid', () => {
      const h = (n: number) => this.chars(HEX, n);
      return `${h(8)}-${h(4)}-4${h(3)}-${this.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
    });
  }

  serial(manufacturer: string): string {
    return this.unique('serial', () => {
      switch (manufacturer) {
        case 'Dell':
          return this.chars(ALNUM, 7);
        case 'HPE':
          return `CZ${this.chars(DIGITS, 4)}${this.chars(ALNUM, 4)}`;
        case 'Cisco':
          return `FOC${this.chars(DIGITS, 4)}${this.chars(ALNUM, 4)}`;
        case 'Lenovo':
          return `J30${this.chars(ALNUM, 5)}`;
        default:
          return this.chars(DIGITS, 12);
      }
    });
  }

  addTeam(t: SeedTeam): void {
    if (this.teamKeys.has(t.key)) return;
    this.teamKeys.add(t.key);
    this.teams.push(t);
  }

  ci(className: SeedClassName, name: string, init: CiInit): SeedCi {
    if (this.byName.has(name)) throw new Error(`seed: duplicate CI name ${name}`);
    const key = `${KEY_PREFIX[className]}:${slugify(name)}`;
    if (this.keys.has(key)) throw new Error(`seed: duplicate CI key ${key}`);
    const c: SeedCi = {
      key,
      className,
      name,
      environment: init.env ?? 'production',
      lifecycle: init.lifecycle ?? 'operational',
      criticality: init.crit,
      attributes: init.attrs ?? {},
    };
    if (init.owner !== undefined) c.owner = init.owner;
    if (init.description !== undefined) c.description = init.description;
    this.byName.set(name, c);
    this.keys.add(key);
    this.ids.set(c, this.out.length);
    this.out.push([]);
    this.cis.push(c);
    return c;
  }

  get(name: string): SeedCi {
    const c = this.byName.get(name);
    if (!c) throw new Error(`seed: unknown CI ${name}`);
    return c;
  }

  dep(key: string): SeedCi {
    const c = this.deps.get(key);
    if (!c) throw new Error(`seed: unknown dependency ${key}`);
    return c;
  }

  rel(type: SeedRelationshipType, from: SeedCi, to: SeedCi): void {
    if (from === to) return;
    const f = this.ids.get(from);
    const t = this.ids.get(to);
    if (f === undefined || t === undefined) throw new Error(`seed: edge ${from.key} -> ${to.key} between unknown CIs`);
    const list = at(this.out, f);
    const code = t * 5 + REL_CODE[type];
    if (list.includes(code)) return;
    list.push(code);
    this.relationships.push({ type, from: from.key, to: to.key });
  }

  get count(): number {
    return this.cis.length;
  }

  // ----- network and physical layer

  buildNetwork(): void {
    const owner = 'network';
    const fwHa = this.ci('Cluster', 'perimeter-firewall-ha', {
      crit: 1, owner, description: 'Active/passive perimeter firewall pair', attrs: { redundancy: 'any' },
    });
    const routers = this.ci('Cluster', 'edge-router-pair', {
      crit: 1, owner, description: 'Redundant internet edge routers', attrs: { redundancy: 'any' },
    });
    this.corePair = this.ci('Cluster', 'core-switch-pair', {
      crit: 1, owner, description: 'Data centre core switches (vPC pair)', attrs: { redundancy: 'any' },
    });
    for (let i = 1; i <= 2; i++) {
      const fw = this.netDevice('Firewall', `fw-edge-${pad(i)}`, 'Palo Alto Networks', 'PA-5450');
      this.rel('HAS_MEMBER', fwHa, fw);
    }
    for (let i = 1; i <= 2; i++) {
      const r = this.netDevice('Router', `rtr-edge-${pad(i)}`, 'Juniper', 'MX204');
      this.rel('HAS_MEMBER', routers, r);
      this.rel('CONNECTS_TO', r, fwHa);
    }
    for (let i = 1; i <= 2; i++) {
      const sw = this.netDevice('Switch', `core-sw-${pad(i)}`, 'Cisco', 'Nexus 9336C-FX2');
      this.rel('HAS_MEMBER', this.corePair, sw);
      this.rel('CONNECTS_TO', sw, routers);
    }
    const edge = this.ci('TechnicalService', 'Edge Network', {
      crit: 1, owner, description: 'Internet edge: routers and perimeter firewalls', attrs: { serviceTier: 'tier-1' },
    });
    this.rel('DEPENDS_ON', edge, routers);
    this.rel('DEPENDS_ON', edge, fwHa);
    this.deps.set('edge-network', edge);
  }

  netDevice(className: 'Switch' | 'Router' | 'Firewall', hostname: string, vendor: string, model: string): SeedCi {
    return this.ci(className, hostname, {
      crit: className === 'Switch' && hostname.startsWith('tor') ? 2 : 1,
      owner: 'network',
      attrs: {
        serialNumber: this.serial(vendor === 'Cisco' ? 'Cisco' : vendor),
        hostname,
        managementIp: this.ip('10.0'),
        model: `${vendor} ${model}`,
      },
    });
  }

  /** The rack with a free slot, opening a new one (with its top-of-rack switch) when all are full. */
  rackSlot(): Rack {
    let rack = this.racks[this.racks.length - 1];
    if (!rack || rack.used >= SERVERS_PER_RACK) {
      const tor = this.netDevice('Switch', `tor-sw-r${pad(this.racks.length + 1)}`, 'Arista', '7050SX3-48YC8');
      this.rel('CONNECTS_TO', tor, this.corePair);
      rack = { tor, used: 0 };
      this.racks.push(rack);
    }
    rack.used++;
    return rack;
  }

  san(): SeedCi {
    const index = Math.floor(this.hypervisorCount / HYPERVISORS_PER_SAN);
    let s = this.sans[index];
    if (!s) {
      const name = `san-${pad(index + 1)}`;
      const rack = this.rackSlot();
      s = this.ci('StorageDevice', name, {
        crit: 1, owner: 'platform', description: 'NetApp AFF block/NFS storage for the VMware clusters',
        attrs: { serialNumber: this.serial('NetApp'), capacityGb: 245760 },
      });
      this.rel('CONNECTS_TO', s, rack.tor);
      this.sans.push(s);
    }
    return s;
  }

  server(
    className: 'LinuxServer' | 'WindowsServer' | 'Hypervisor',
    hostname: string,
    init: Omit<CiInit, 'attrs'> & { cpu?: number; memGb?: number },
  ): SeedCi {
    const manufacturer = this.pick(['Dell', 'Dell', 'HPE', 'Lenovo']);
    const model =
      manufacturer === 'Dell'
        ? this.pick(['PowerEdge R650', 'PowerEdge R750'])
        : manufacturer === 'HPE'
          ? 'ProLiant DL380 Gen10 Plus'
          : 'ThinkSystem SR650 V2';
    const [os, osVersion] =
      className === 'Hypervisor'
        ? ['VMware ESXi', '8.0 U2']
        : className === 'WindowsServer'
          ? ['Windows Server', this.pick(['2019', '2022'])]
          : this.pick<[string, string]>([['Ubuntu', '22.04'], ['Red Hat Enterprise Linux', '9.4'], ['Ubuntu', '24.04']]);
    const rack = this.rackSlot();
    const { cpu, memGb, ...rest } = init;
    const s = this.ci(className, hostname, {
      owner: 'platform',
      ...rest,
      attrs: {
        serialNumber: this.serial(manufacturer),
        hostname,
        domain: DC_DOMAIN,
        ipAddress: this.ip('10.10'),
        os,
        osVersion,
        cpuCount: cpu ?? this.pick([32, 48, 64]),
        memoryMb: (memGb ?? this.pick([256, 384, 512])) * 1024,
        manufacturer,
        model,
      },
    });
    this.rel('CONNECTS_TO', s, rack.tor);
    return s;
  }

  hostPool(label: string, env: SeedEnvironment): HostPool {
    let p = this.pools.get(label);
    if (!p) {
      p = { label, env, hypervisors: [], vms: 0, cursor: 0 };
      this.pools.set(label, p);
    }
    return p;
  }

  addHypervisor(p: HostPool): SeedCi {
    const hv = this.server('Hypervisor', `esx-${p.label}-${pad(p.hypervisors.length + 1)}`, {
      env: p.env,
      crit: p.env === 'production' ? 1 : 3,
      cpu: 64,
      memGb: 768,
      description: `VMware ESXi host in the ${p.label} cluster`,
    });
    this.rel('DEPENDS_ON', hv, this.san());
    this.hypervisorCount++;
    p.hypervisors.push(hv);
    return hv;
  }

  vm(
    hostname: string,
    init: Omit<CiInit, 'attrs'> & { cpu: number; memGb: number; os?: string; pool?: string },
  ): SeedCi {
    const env = init.env ?? 'production';
    const poolLabel = init.pool ?? (env === 'production' || env === 'dr' ? 'prod' : 'nonprod');
    const p = this.hostPool(poolLabel, poolLabel === 'prod' ? 'production' : 'staging');
    if (p.vms >= p.hypervisors.length * VMS_PER_HYPERVISOR) this.addHypervisor(p);
    const hv = at(p.hypervisors, p.cursor++ % p.hypervisors.length);
    p.vms++;
    const { cpu, memGb, os } = init;
    const v = this.ci('VirtualMachine', hostname, {
      env,
      crit: init.crit,
      ...(init.lifecycle ? { lifecycle: init.lifecycle } : {}),
      ...(init.owner ? { owner: init.owner } : {}),
      ...(init.description ? { description: init.description } : {}),
      attrs: {
        vmUuid: this.uuid(),
        hostname,
        cpuCount: cpu,
        memoryMb: memGb * 1024,
        os: os ?? 'Ubuntu 22.04',
        ipAddress: this.ip(poolLabel === 'prod' ? '10.20' : '10.30'),
      },
    });
    this.rel('HOSTED_ON', v, hv);
    return v;
  }

  // ----- Kubernetes

  kubeCluster(name: string, env: SeedEnvironment): KubeCluster {
    const prod = env === 'production';
    const version = prod ? '1.29.6' : '1.30.2';
    const ci = this.ci('KubernetesCluster', name, {
      env,
      crit: prod ? 1 : 3,
      owner: 'platform',
      description: prod ? 'Production Kubernetes cluster (on-prem, VMware)' : 'Pre-production Kubernetes cluster',
      attrs: { clusterName: name, apiServerUrl: `https://${name}.api.${DC_DOMAIN}:6443`, version },
    });
    const pool = this.ci('Cluster', `${name} node pool`, {
      env, crit: prod ? 1 : 3, owner: 'platform', description: `Worker nodes of ${name}`,
      attrs: { redundancy: 'atLeast:2' },
    });
    this.rel('DEPENDS_ON', ci, pool);
    const k: KubeCluster = {
      ci, name, env, pool, nodes: [], pods: 0, cursor: 0, workloads: 0, namespaces: new Map(), daemonSets: [], version,
    };
    const minNodes = prod ? MIN_PROD_NODES : MIN_STAGING_NODES;
    for (let i = 0; i < minNodes; i++) this.addNode(k);
    // Cluster add-ons: DNS and node monitoring.
    const coredns = this.workload(k, 'kube-system', 'coredns', {
      kind: 'Deployment', image: 'registry.k8s.io/coredns/coredns:v1.11.1', owner: 'platform', crit: k.ci.criticality,
    });
    const corednsHash = this.chars(K8S_ALPHABET, 10);
    for (let i = 0; i < 2; i++) this.pod(k, 'kube-system', `coredns-${corednsHash}`, coredns, 'platform');
    const kubeDns = this.kubeService(k, 'kube-system', 'kube-dns', 53, 'platform', k.ci.criticality);
    this.rel('DEPENDS_ON', kubeDns, coredns);
    const exporter = this.workload(k, 'monitoring', 'node-exporter', {
      kind: 'DaemonSet', image: 'quay.io/prometheus/node-exporter:v1.8.1', owner: 'sre', crit: 3,
    });
    k.daemonSets.push({ wl: exporter, ns: 'monitoring', name: 'node-exporter' });
    for (const node of k.nodes) this.daemonPods(k, node);
    k.workloads = 0; // add-ons do not count against the application capacity
    if (prod) {
      const lb = this.ci('LoadBalancer', `lb-${name}-ingress`, {
        crit: 1, owner: 'network', description: `F5 BIG-IP virtual server in front of the ${name} ingress nodes`,
        attrs: { hostname: `lb-${name}-ingress.${DC_DOMAIN}`, vip: '', redundancy: 'all' },
      });
      const vipAddr = this.publicIp();
      const vip = this.ci('VirtualIp', `vip-${name}-ingress`, {
        crit: 1, owner: 'network', attrs: { address: vipAddr },
      });
      lb.attributes.vip = vipAddr;
      this.rel('HAS_MEMBER', lb, pool);
      this.rel('CONNECTS_TO', lb, this.corePair);
      this.rel('DEPENDS_ON', vip, lb);
      k.lb = lb;
      k.vip = vip;
      this.prodClusters.push(k);
      this.rel('DEPENDS_ON', this.dep('ts:kubernetes'), ci);
    } else {
      this.stagingClusters.push(k);
    }
    return k;
  }

  addNode(k: KubeCluster): SeedCi {
    const prod = k.env === 'production';
    const nodeName = `${k.name}-node-${pad(k.nodes.length + 1)}`;
    const host = this.vm(nodeName, {
      env: k.env, crit: prod ? 2 : 3, owner: 'platform', cpu: 16, memGb: 64, os: 'Ubuntu 22.04',
    });
    const node = this.ci('KubernetesNode', `${k.name}/${nodeName}`, {
      env: k.env, crit: prod ? 2 : 3, owner: 'platform',
      attrs: { nodeName, kubeletVersion: `v${k.version}` },
    });
    this.rel('HOSTED_ON', node, host);
    this.rel('RUNS_ON', node, k.ci);
    this.rel('HAS_MEMBER', k.pool, node);
    k.nodes.push(node);
    if (k.daemonSets.length > 0) this.daemonPods(k, node);
    return node;
  }

  daemonPods(k: KubeCluster, node: SeedCi): void {
    for (const ds of k.daemonSets) {
      const p = this.podCi(k, ds.ns, () => `${ds.name}-${this.chars(K8S_ALPHABET, 5)}`, 'sre', 4);
      this.rel('HOSTED_ON', p, node);
      ds.wl.attributes.replicas = k.nodes.length;
    }
  }

  namespace(k: KubeCluster, ns: string, owner: string): SeedCi {
    let c = k.namespaces.get(ns);
    if (!c) {
      c = this.ci('KubernetesNamespace', `${k.name}/${ns}`, {
        env: k.env, crit: k.env === 'production' ? 2 : 4, owner, attrs: { namespace: ns },
      });
      this.rel('RUNS_ON', c, k.ci);
      k.namespaces.set(ns, c);
    }
    return c;
  }

  workload(
    k: KubeCluster,
    ns: string,
    name: string,
    o: { kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'; image: string; owner: string; crit: Crit; lifecycle?: SeedLifecycle },
  ): SeedCi {
    const nsCi = this.namespace(k, ns, o.owner);
    const wl = this.ci('KubernetesWorkload', `${k.name}/${ns}/${name}`, {
      env: k.env, crit: o.crit, owner: o.owner, lifecycle: o.lifecycle ?? 'operational',
      attrs: { namespace: ns, workloadName: name, kind: o.kind, image: o.image, replicas: 0 },
    });
    this.rel('RUNS_ON', wl, k.ci);
    this.rel('DEPENDS_ON', wl, nsCi);
    k.workloads++;
    return wl;
  }

  podCi(k: KubeCluster, ns: string, makeName: () => string, owner: string, crit: Crit): SeedCi {
    const name = this.unique(`pod:${k.name}/${ns}`, makeName);
    const p = this.ci('KubernetesPod', `${k.name}/${ns}/${name}`, {
      env: k.env, crit, owner, attrs: { namespace: ns, podName: name },
    });
    this.rel('RUNS_ON', p, k.ci);
    k.pods++;
    return p;
  }

  /** Schedules one pod `<prefix>-<random>` of `wl`, adding a node (and its VM) when the cluster is full. */
  pod(k: KubeCluster, ns: string, prefix: string, wl: SeedCi, owner: string): SeedCi {
    if (k.pods >= k.nodes.length * PODS_PER_NODE) this.addNode(k);
    const node = at(k.nodes, k.cursor++ % k.nodes.length);
    const crit: Crit = k.env === 'production' ? 3 : 4;
    const p = this.podCi(k, ns, () => `${prefix}-${this.chars(K8S_ALPHABET, 5)}`, owner, crit);
    this.rel('HOSTED_ON', p, node);
    const r = wl.attributes.replicas;
    wl.attributes.replicas = (typeof r === 'number' ? r : 0) + 1;
    return p;
  }

  kubeService(k: KubeCluster, ns: string, name: string, port: number, owner: string, crit: Crit): SeedCi {
    const s = this.ci('KubernetesService', `${k.name}/${ns}/svc/${name}`, {
      env: k.env, crit, owner, attrs: { namespace: ns, serviceName: name, serviceType: 'ClusterIP', ports: [`${port}/TCP`] },
    });
    this.rel('RUNS_ON', s, k.ci);
    return s;
  }

  prodClusterFor(workloads: number): KubeCluster {
    const last = this.prodClusters[this.prodClusters.length - 1];
    if (last && last.workloads + workloads <= WORKLOADS_PER_PROD_CLUSTER) return last;
    return this.kubeCluster(`k8s-prod-${pad(this.prodClusters.length + 1)}`, 'production');
  }

  stagingCluster(): KubeCluster {
    const last = this.stagingClusters[this.stagingClusters.length - 1];
    if (last && last.workloads < WORKLOADS_PER_STAGING_CLUSTER) return last;
    return this.kubeCluster(`k8s-staging-${pad(this.stagingClusters.length + 1)}`, 'staging');
  }

  /** Microservice -RUNS_ON-> Deployment (+ pods, + ClusterIP service) in `k`. */
  deploy(
    k: KubeCluster,
    ns: string,
    msName: string,
    def: MsDef,
    owner: string,
    crit: Crit,
  ): Deployed {
    const env = k.env;
    const version = this.pick(APP_VERSIONS);
    const lifecycle = def.lifecycle ?? 'operational';
    const ms = this.ci('Microservice', msName, {
      env, crit, owner, lifecycle, ...(def.description ? { description: def.description } : {}),
      attrs: {
        version,
        repositoryUrl: `https://github.com/example-shop/${def.name}`,
        language: def.lang,
      },
    });
    const wl = this.workload(k, ns, def.name, {
      kind: 'Deployment', image: `registry.example.com/${owner}/${def.name}:${version}`, owner, crit, lifecycle,
    });
    this.rel('RUNS_ON', ms, wl);
    const hash = this.chars(K8S_ALPHABET, 9 + Math.floor(this.rng() * 2));
    const replicas = env === 'production' ? def.replicas : 1;
    for (let i = 0; i < replicas; i++) this.pod(k, ns, `${def.name}-${hash}`, wl, owner);
    const svc = this.kubeService(k, ns, def.name, 8080, owner, crit);
    this.rel('DEPENDS_ON', svc, wl);
    return { ms, wl, svc, kube: k, ns, name: def.name, hash, owner, crit };
  }

  // ----- data tier

  /** A redundant group of three data-store instances, each on its own VM or bare-metal server. */
  dataCluster(o: {
    name: string;
    kind: 'Database' | 'Cache' | 'MessageQueue';
    engine: string;
    version: string;
    port: number;
    redundancy: string;
    owner: string;
    hostOwner?: string;
    crit: Crit;
    host: 'vm' | 'metal';
    logical?: string;
    description?: string;
  }): SeedCi {
    const group = this.ci('Cluster', o.name, {
      crit: o.crit, owner: o.owner, attrs: { redundancy: o.redundancy },
      ...(o.description ? { description: o.description } : {}),
    });
    for (let i = 1; i <= 3; i++) {
      const hostname = `${o.name}-${pad(i)}`;
      const host =
        o.host === 'vm'
          ? this.vm(hostname, { crit: o.crit, owner: o.hostOwner ?? 'data', cpu: 8, memGb: 32 })
          : this.server('LinuxServer', hostname, { crit: o.crit, owner: o.hostOwner ?? 'data' });
      const role = o.kind === 'MessageQueue' ? `broker-${i}` : i === 1 ? 'primary' : `replica-${i - 1}`;
      const attrs: Record<string, SeedAttributeValue> = { engine: o.engine, version: o.version, port: o.port };
      if (o.kind === 'Database') attrs.databaseName = `${o.logical ?? o.name.replace(/-/g, '_')}_${role.replace('-', '')}`;
      const inst = this.ci(o.kind, `${o.name}-${role}`, { crit: o.crit, owner: o.owner, attrs });
      this.rel('RUNS_ON', inst, host);
      this.rel('HAS_MEMBER', group, inst);
    }
    return group;
  }

  // ----- business lines

  line(def: LineDef): void {
    const bs = this.ci('BusinessService', def.name, {
      crit: def.crit, owner: def.team, ...(def.description ? { description: def.description } : {}),
      attrs: { availabilityTarget: def.target, serviceTier: def.tier },
    });
    let ownDb: SeedCi | undefined;
    if (def.ownDb) {
      ownDb = this.dataCluster({
        name: def.ownDb.name, kind: 'Database', engine: def.ownDb.engine,
        version: def.ownDb.engine === 'postgresql' ? '16.3' : def.ownDb.engine === 'mysql' ? '8.0.36' : '7.0.11',
        port: def.ownDb.engine === 'postgresql' ? 5432 : def.ownDb.engine === 'mysql' ? 3306 : 27017,
        redundancy: 'atLeast:2', owner: def.team, crit: def.crit, host: def.ownDb.host, logical: def.ownDb.logical,
        description: `Dedicated ${def.ownDb.engine} cluster of ${def.name} (primary + 2 replicas)`,
      });
    }
    const msCount = def.apps.reduce((n, a) => n + a.ms.filter((m) => m.lifecycle !== 'planned').length, 0);
    const k = this.prodClusterFor(msCount);
    for (const app of def.apps) {
      const as = this.ci('ApplicationService', app.name, {
        crit: app.crit, owner: def.team, ...(app.description ? { description: app.description } : {}),
        attrs: { serviceTier: app.crit <= 1 ? 'tier-1' : app.crit === 2 ? 'tier-2' : 'tier-3' },
      });
      this.rel('DEPENDS_ON', bs, as);
      const usesTs = new Set<string>();
      for (const m of app.ms) {
        const crit = Math.max(app.crit, m.lifecycle === 'planned' ? 3 : app.crit) as Crit;
        let ms: SeedCi;
        if (m.lifecycle === 'planned') {
          ms = this.ci('Microservice', m.name, {
            crit, owner: def.team, lifecycle: 'planned', ...(m.description ? { description: m.description } : {}),
            attrs: { version: '0.1.0', repositoryUrl: `https://github.com/example-shop/${m.name}`, language: m.lang },
          });
        } else {
          const d = this.deploy(k, def.ns, m.name, m, def.team, crit);
          ms = d.ms;
          this.deployed.set(m.name, d);
          if (m.lifecycle !== 'maintenance' && m.replicas > 1) this.topUp.push(d);
          this.rel('DEPENDS_ON', as, ms);
          if (m.api) {
            const api = this.ci('Api', m.api.name, {
              crit, owner: def.team,
              attrs: { apiType: m.api.type, specUrl: `https://api-specs.example.com/${m.name}/${m.api.type === 'grpc' ? 'service.proto' : m.api.type === 'graphql' ? 'schema.graphql' : m.api.type === 'asyncapi' ? 'asyncapi.yaml' : 'openapi.yaml'}` },
            });
            this.rel('DEPENDS_ON', api, ms);
            this.rel('DEPENDS_ON', api, d.svc);
            this.rel('DEPENDS_ON', as, api);
            this.apis.set(m.name, api);
          }
          if (m.staging) this.stage(def, m);
        }
        for (const u of m.uses) {
          const target = u === 'own-db' ? ownDb : this.dep(u);
          if (!target) throw new Error(`seed: ${m.name} uses own-db but ${def.name} has none`);
          this.rel('DEPENDS_ON', ms, target);
          if (m.lifecycle === 'planned') continue;
          if (target.className === 'Cluster' || target.className === 'SaasService' || target.className === 'CloudManagedDatabase') {
            this.rel('DEPENDS_ON', as, target);
          }
          const ts = TECH_FOR_DEP[u];
          if (ts) usesTs.add(ts);
        }
        for (const c of m.calls ?? []) this.pendingCalls.push({ from: ms, to: c });
      }
      for (const x of app.extra ?? []) this.rel('DEPENDS_ON', as, this.dep(x));
      for (const ts of usesTs) this.rel('DEPENDS_ON', as, this.dep(ts));
      if (app.dns) {
        const rec = this.ci('DnsRecord', app.dns, {
          crit: app.crit, owner: 'network', attrs: { fqdn: app.dns, recordType: 'A' },
        });
        // A record is identified within its zone (class model), through HOSTED_ON.
        this.rel('HOSTED_ON', rec, this.dep(app.dns.endsWith(INTERNAL_ZONE) ? 'zone:internal' : 'zone:public'));
        if (k.vip) this.rel('DEPENDS_ON', rec, k.vip);
        this.rel('DEPENDS_ON', as, rec);
        if (k.lb) this.rel('DEPENDS_ON', as, k.lb);
        this.rel('DEPENDS_ON', as, this.dep('ts:dns'));
      }
    }
  }

  /** A single-replica copy of a microservice in the staging cluster. */
  stage(def: LineDef, m: MsDef): void {
    const k = this.stagingCluster();
    const d = this.deploy(k, def.ns, `${m.name}-staging`, m, def.team, 4);
    if (m.uses.some((u) => u === 'own-db' || u === 'pg:shared')) this.rel('DEPENDS_ON', d.ms, this.dep('db:staging'));
  }

  resolveCalls(): void {
    for (const { from, to } of this.pendingCalls) {
      const target = this.apis.get(to) ?? this.deployed.get(to)?.ms;
      if (!target) throw new Error(`seed: ${from.name} calls unknown ${to}`);
      this.rel('DEPENDS_ON', from, target);
    }
  }

  // ----- scaling: extra business lines

  extraLine(): void {
    const i = this.extraLines++;
    const d = at(EXTRA_DOMAINS, i % EXTRA_DOMAINS.length);
    const round = Math.floor(i / EXTRA_DOMAINS.length);
    const region = round === 0 ? '' : at(REGIONS, (round - 1) % REGIONS.length);
    const rep = round === 0 ? 0 : Math.floor((round - 1) / REGIONS.length) + 1;
    const label = [d.name, region, rep > 1 ? String(rep) : ''].filter(Boolean).join(' ');
    const slug = slugify(label);
    const teamKey = slugify(d.name);
    this.addTeam(team(teamKey, d.name));

    const n = this.int(3, 5);
    const r = this.rng();
    const ownDb = r < 0.3;
    const useKafka = this.rng() < 0.35;
    const useRedis = this.rng() < 0.3;
    const msName = (j: number): string => {
      const round = Math.floor(j / d.stems.length);
      return `${slug}-${at(d.stems, j % d.stems.length)}${round > 0 ? `-worker${round > 1 ? round : ''}` : ''}-service`;
    };
    const ms: MsDef[] = [];
    for (let j = 0; j < n; j++) {
      const name = msName(j);
      const uses: string[] = [];
      if (j < 2) uses.push(ownDb ? 'own-db' : 'pg:shared');
      if (j === 0 && useRedis) uses.push('cache:redis');
      if (j === n - 1 && useKafka) uses.push('mq:kafka');
      const calls: string[] = [];
      if (j + 1 < n) calls.push(msName(j + 1));
      if (j === 0 && this.rng() < 0.5) calls.push('auth-service');
      const def: MsDef = {
        name, lang: this.pick(LANGUAGES), replicas: this.int(2, 3), uses, calls,
        staging: j === 0 && this.rng() < 0.25,
        ...(this.rng() < 0.02 ? { lifecycle: 'maintenance' as const, description: 'Being migrated to the new runtime' } : {}),
      };
      if (j === 0) def.api = { name: `${label} API`, type: 'openapi' };
      else if (this.rng() < 0.3) def.api = { name: `${name} gRPC API`, type: 'grpc' };
      ms.push(def);
    }
    const split = Math.max(1, Math.ceil(n * 0.6));
    const backCrit = Math.min(4, d.crit + 1) as Crit;
    this.line({
      name: label,
      ns: slug,
      team: teamKey,
      crit: d.crit,
      target: d.crit === 1 ? 99.95 : d.crit === 2 ? 99.9 : 99.5,
      tier: d.crit <= 1 ? 'tier-1' : d.crit === 2 ? 'tier-2' : 'tier-3',
      ...(ownDb ? { ownDb: { name: `${slug}-db`, engine: this.pick(['postgresql', 'postgresql', 'mysql', 'mongodb'] as const), logical: slug.replace(/-/g, '_'), host: 'vm' as const } } : {}),
      apps: [
        { name: `${label} Customer API`, crit: d.crit, dns: `${slug}.${PUBLIC_ZONE}`, ms: ms.slice(0, split) },
        { name: `${label} Back Office`, crit: backCrit, ms: ms.slice(split) },
      ].filter((a) => a.ms.length > 0),
    });
    // Now and then a retired predecessor lingers on a retired VM.
    if (i % 40 === 17) {
      const vmCi = this.vm(`${slug}-legacy-01`, { crit: 4, owner: teamKey, lifecycle: 'retired', cpu: 4, memGb: 16 });
      const app = this.ci('Application', `${label} legacy monolith`, {
        crit: 4, owner: teamKey, lifecycle: 'retired', description: 'Replaced by microservices; kept for audit',
        attrs: { version: '1.0.0', repositoryUrl: `https://github.com/example-shop/${slug}-monolith`, language: 'Java' },
      });
      this.rel('RUNS_ON', app, vmCi);
    }
  }
}

const TECH_FOR_DEP: Record<string, string> = {
  'pg:shared': 'ts:postgres',
  'mq:kafka': 'ts:messaging',
  'cache:redis': 'ts:caching',
  'search:index': 'ts:search',
};

// ---------------------------------------------------------------------------------------------------------------
// The core estate (what size 300 shows).

function buildSharedPlatforms(b: Builder): void {
  // DNS: two authoritative name servers behind the DNS technical service.
  const dnsServers = b.ci('Cluster', 'dns-servers', {
    crit: 1, owner: 'network', description: 'Authoritative BIND name servers', attrs: { redundancy: 'any' },
  });
  for (let i = 1; i <= 2; i++) {
    const ns = b.server('LinuxServer', `ns${i}`, { crit: 1, owner: 'network', cpu: 8, memGb: 32 });
    const bind = b.ci('Application', `BIND ns${i}`, {
      crit: 1, owner: 'network',
      attrs: { version: '9.18.24', repositoryUrl: 'https://gitlab.isc.org/isc-projects/bind9', language: 'C' },
    });
    b.rel('RUNS_ON', bind, ns);
    b.rel('HAS_MEMBER', dnsServers, bind);
  }
  const dns = b.ci('TechnicalService', 'DNS', {
    crit: 1, owner: 'network', description: 'Public and internal name resolution', attrs: { serviceTier: 'tier-1' },
  });
  b.rel('DEPENDS_ON', dns, dnsServers);
  b.deps.set('ts:dns', dns);
  for (const [key, zoneName] of [['zone:public', PUBLIC_ZONE], ['zone:internal', INTERNAL_ZONE]] as const) {
    const z = b.ci('DnsZone', zoneName, { crit: 1, owner: 'network', attrs: { zoneName } });
    b.rel('DEPENDS_ON', z, dns);
    b.deps.set(key, z);
  }

  // Kubernetes platform (clusters attach themselves to it).
  b.deps.set('ts:kubernetes', b.ci('TechnicalService', 'Kubernetes Platform', {
    crit: 1, owner: 'platform', description: 'Shared container platform for all product teams', attrs: { serviceTier: 'tier-1' },
  }));

  // The shared PostgreSQL cluster: the hot spot with many dependents.
  const pg = b.dataCluster({
    name: SHARED_DATABASE_CLUSTER, kind: 'Database', engine: 'postgresql', version: '15.7', port: 5432,
    redundancy: 'atLeast:2', owner: 'data', crit: 1, host: 'metal', logical: 'shared',
    description: 'Shared PostgreSQL cluster (Patroni: primary + 2 synchronous replicas)',
  });
  b.deps.set('pg:shared', pg);
  const pgTs = b.ci('TechnicalService', 'PostgreSQL Platform', {
    crit: 1, owner: 'data', description: 'Managed PostgreSQL for product teams', attrs: { serviceTier: 'tier-1' },
  });
  b.rel('DEPENDS_ON', pgTs, pg);
  b.deps.set('ts:postgres', pgTs);

  const redis = b.dataCluster({
    name: 'redis-sessions', kind: 'Cache', engine: 'redis', version: '7.2.4', port: 6379, redundancy: 'any',
    owner: 'platform', hostOwner: 'platform', crit: 1, host: 'vm', description: 'Redis Sentinel group for sessions, carts and rate limits',
  });
  b.deps.set('cache:redis', redis);
  const caching = b.ci('TechnicalService', 'Caching', {
    crit: 2, owner: 'platform', description: 'Shared Redis', attrs: { serviceTier: 'tier-2' },
  });
  b.rel('DEPENDS_ON', caching, redis);
  b.deps.set('ts:caching', caching);

  const kafka = b.dataCluster({
    name: 'kafka-events', kind: 'MessageQueue', engine: 'kafka', version: '3.7.0', port: 9092,
    redundancy: 'atLeast:2', owner: 'data', crit: 1, host: 'metal', description: 'Event backbone (replication factor 3)',
  });
  b.deps.set('mq:kafka', kafka);
  const messaging = b.ci('TechnicalService', 'Messaging', {
    crit: 1, owner: 'data', description: 'Kafka event streaming', attrs: { serviceTier: 'tier-1' },
  });
  b.rel('DEPENDS_ON', messaging, kafka);
  b.deps.set('ts:messaging', messaging);

  const search = b.dataCluster({
    name: 'search-index', kind: 'Database', engine: 'other', version: 'OpenSearch 2.13', port: 9200,
    redundancy: 'atLeast:2', owner: 'search', crit: 2, host: 'vm', logical: 'products',
    description: 'OpenSearch cluster holding the product index',
  });
  b.deps.set('search:index', search);
  const searchTs = b.ci('TechnicalService', 'Search Platform', {
    crit: 2, owner: 'search', description: 'Managed OpenSearch', attrs: { serviceTier: 'tier-2' },
  });
  b.rel('DEPENDS_ON', searchTs, search);
  b.deps.set('ts:search', searchTs);

  // Staging database.
  const stgVm = b.vm('pg-staging-01', { env: 'staging', crit: 3, owner: 'data', cpu: 4, memGb: 16 });
  const stgDb = b.ci('Database', 'postgres-staging', {
    env: 'staging', crit: 3, owner: 'data',
    attrs: { engine: 'postgresql', version: '16.3', port: 5432, databaseName: 'staging_all' },
  });
  b.rel('RUNS_ON', stgDb, stgVm);
  b.deps.set('db:staging', stgDb);

  // Cloud and SaaS.
  const bucket = b.ci('CloudBucket', 'product-images', {
    crit: 2, owner: 'search', description: 'Original and resized product photos',
    attrs: { provider: 'aws', cloudResourceId: 'arn:aws:s3:::example-shop-product-images', region: 'eu-central-1', accountId: '412345678901' },
  });
  b.deps.set('bucket:images', bucket);
  const fn = b.ci('CloudFunction', 'image-resizer', {
    crit: 3, owner: 'search', description: 'Generates thumbnails on upload',
    attrs: { provider: 'aws', cloudResourceId: 'arn:aws:lambda:eu-central-1:412345678901:function:image-resizer', region: 'eu-central-1', accountId: '412345678901' },
  });
  b.rel('DEPENDS_ON', fn, bucket);
  b.deps.set('fn:resizer', fn);
  b.deps.set('clouddb:wms', b.ci('CloudManagedDatabase', 'warehouse-wms-db', {
    crit: 2, owner: 'warehouse', description: 'Amazon RDS for PostgreSQL (Multi-AZ) of the warehouse system',
    attrs: { provider: 'aws', cloudResourceId: 'arn:aws:rds:eu-central-1:412345678901:db:warehouse-wms', region: 'eu-central-1', accountId: '412345678901' },
  }));
  b.deps.set('saas:stripe', b.ci('SaasService', 'Stripe Payments API', {
    crit: 1, owner: 'payments', description: 'Card acquiring and payment methods',
    attrs: { vendor: 'Stripe', url: 'https://api.stripe.com' },
  }));
  b.deps.set('saas:sendgrid', b.ci('SaasService', 'SendGrid Email', {
    crit: 3, owner: 'identity', attrs: { vendor: 'Twilio SendGrid', url: 'https://api.sendgrid.com' },
  }));
  b.deps.set('saas:pagerduty', b.ci('SaasService', 'PagerDuty', {
    crit: 2, owner: 'sre', attrs: { vendor: 'PagerDuty', url: 'https://api.pagerduty.com' },
  }));
}

function buildInternalTools(b: Builder): void {
  // Observability.
  const obs = b.ci('TechnicalService', 'Observability', {
    crit: 2, owner: 'sre', description: 'Metrics, dashboards and alerting', attrs: { serviceTier: 'tier-2' },
  });
  for (const [app, lang, version, host] of [
    ['Prometheus', 'Go', '2.52.0', 'monitoring-01'],
    ['Grafana', 'Go', '11.0.0', 'monitoring-02'],
  ] as const) {
    const v = b.vm(host, { crit: 2, owner: 'sre', cpu: 8, memGb: 32 });
    const a = b.ci('Application', app, {
      crit: 2, owner: 'sre',
      attrs: { version, repositoryUrl: `https://github.com/${app.toLowerCase()}/${app.toLowerCase()}`, language: lang },
    });
    b.rel('RUNS_ON', a, v);
    b.rel('DEPENDS_ON', obs, a);
  }
  b.rel('DEPENDS_ON', obs, b.dep('saas:pagerduty'));

  // Corporate directory on Windows domain controllers.
  const dcs = b.ci('Cluster', 'ad-domain-controllers', {
    crit: 2, owner: 'identity', description: 'Active Directory domain controllers (corp.example.com)', attrs: { redundancy: 'any' },
  });
  for (let i = 1; i <= 2; i++) {
    const w = b.server('WindowsServer', `dc-0${i}`, { crit: 2, owner: 'identity', cpu: 8, memGb: 32 });
    b.rel('HAS_MEMBER', dcs, w);
  }
  const dir = b.ci('TechnicalService', 'Corporate Directory', {
    crit: 2, owner: 'identity', description: 'Employee identities and Kerberos', attrs: { serviceTier: 'tier-2' },
  });
  b.rel('DEPENDS_ON', dir, dcs);
  b.deps.set('ts:directory', dir);

  // CI/CD build server with containers.
  const build = b.server('LinuxServer', 'build-01', { crit: 3, owner: 'platform', cpu: 32, memGb: 128 });
  const jenkinsCtr = b.ci('Container', 'jenkins-controller', {
    crit: 3, owner: 'platform', description: 'Docker container on build-01',
    attrs: { containerId: 'c0ffee0000000000000000000000000000000000000000000000000000000001', image: 'jenkins/jenkins:2.452.2-lts', runtime: 'docker' },
  });
  b.rel('HOSTED_ON', jenkinsCtr, build);
  const jenkins = b.ci('Application', 'Jenkins', {
    crit: 3, owner: 'platform',
    attrs: { version: '2.452.2', repositoryUrl: 'https://github.com/jenkinsci/jenkins', language: 'Java' },
  });
  b.rel('RUNS_ON', jenkins, jenkinsCtr);
  const agent = b.ci('Container', 'jenkins-agent-1', {
    crit: 4, owner: 'platform',
    attrs: { containerId: 'c0ffee0000000000000000000000000000000000000000000000000000000002', image: 'jenkins/inbound-agent:3248.v65ecb_254c298-1', runtime: 'docker' },
  });
  b.rel('HOSTED_ON', agent, build);
  b.rel('DEPENDS_ON', agent, jenkins);
  b.rel('DEPENDS_ON', jenkins, dir);

  // Backup, load testing, developer sandboxes, DR.
  const backup = b.server('LinuxServer', 'backup-01', { crit: 3, owner: 'platform', cpu: 16, memGb: 64 });
  const veeam = b.ci('Application', 'Veeam Backup', {
    crit: 3, owner: 'platform', attrs: { version: '12.1', repositoryUrl: 'https://www.veeam.com', language: 'C#' },
  });
  b.rel('RUNS_ON', veeam, backup);
  b.rel('DEPENDS_ON', veeam, b.san());
  const k6 = b.vm('loadtest-01', { env: 'test', crit: 4, owner: 'sre', cpu: 8, memGb: 16 });
  const k6App = b.ci('Application', 'k6 Load Generator', {
    env: 'test', crit: 4, owner: 'sre', attrs: { version: '0.51.0', repositoryUrl: 'https://github.com/grafana/k6', language: 'Go' },
  });
  b.rel('RUNS_ON', k6App, k6);
  for (let i = 1; i <= 2; i++) b.vm(`dev-sandbox-0${i}`, { env: 'development', crit: 4, owner: 'platform', cpu: 4, memGb: 16 });
  const drHost = b.server('LinuxServer', 'pg-dr-01', { env: 'dr', crit: 2, owner: 'data' });
  const drDb = b.ci('Database', `${SHARED_DATABASE_CLUSTER}-dr`, {
    env: 'dr', crit: 2, owner: 'data', description: 'Asynchronous standby in the DR site',
    attrs: { engine: 'postgresql', version: '15.7', port: 5432, databaseName: 'shared_dr' },
  });
  b.rel('RUNS_ON', drDb, drHost);

  // Retired legacy search box.
  const old = b.server('LinuxServer', 'search-legacy-01', {
    crit: 4, owner: 'search', lifecycle: 'retired', description: 'Decommissioned; awaiting disposal',
  });
  const solr = b.ci('Database', 'solr-products', {
    crit: 4, owner: 'search', lifecycle: 'retired', description: 'Replaced by search-index (OpenSearch)',
    attrs: { engine: 'other', version: 'Solr 6.6', port: 8983, databaseName: 'products_solr' },
  });
  b.rel('RUNS_ON', solr, old);
}

function buildWarehouseErp(b: Builder): void {
  const lb = b.ci('LoadBalancer', 'lb-erp', {
    crit: 2, owner: 'network', description: 'Internal load balancer in front of the ERP application servers',
    attrs: { hostname: `lb-erp.${DC_DOMAIN}`, vip: '', redundancy: 'any' },
  });
  const vipAddr = b.ip('10.40');
  lb.attributes.vip = vipAddr;
  const vip = b.ci('VirtualIp', 'vip-erp', { crit: 2, owner: 'network', attrs: { address: vipAddr } });
  b.rel('DEPENDS_ON', vip, lb);
  b.rel('CONNECTS_TO', lb, b.corePair);
  for (let i = 1; i <= 2; i++) {
    const v = b.vm(`erp-app-0${i}`, { crit: 2, owner: 'warehouse', cpu: 8, memGb: 32, os: 'Windows Server 2019' });
    b.rel('HAS_MEMBER', lb, v);
  }
  const dbHost = b.server('WindowsServer', 'erp-db-01', { crit: 2, owner: 'warehouse', cpu: 32, memGb: 256 });
  const db = b.ci('Database', 'erp-db', {
    crit: 2, owner: 'warehouse', description: 'Single SQL Server instance (no replica; known risk)',
    attrs: { engine: 'mssql', version: '2019 CU25', port: 1433, databaseName: 'ERP_PROD' },
  });
  b.rel('RUNS_ON', db, dbHost);
  const erp = b.ci('Application', 'Warehouse ERP', {
    crit: 2, owner: 'warehouse', description: 'Legacy warehouse ERP (vendor package)',
    attrs: { version: '9.2', repositoryUrl: 'https://git.example.com/warehouse/erp-customisations', language: 'C#' },
  });
  b.rel('DEPENDS_ON', erp, lb);
  b.rel('DEPENDS_ON', erp, db);
  b.rel('DEPENDS_ON', erp, b.dep('ts:directory'));
  const rec = b.ci('DnsRecord', `erp.${INTERNAL_ZONE}`, {
    crit: 2, owner: 'network', attrs: { fqdn: `erp.${INTERNAL_ZONE}`, recordType: 'A' },
  });
  b.rel('HOSTED_ON', rec, b.dep('zone:internal'));
  b.rel('DEPENDS_ON', rec, vip);
  b.deps.set('app:erp', erp);
  b.deps.set('dns:erp', rec);
}

const CORE_LINES: readonly LineDef[] = [
  {
    name: 'Online Shop', ns: 'shop', team: 'checkout', crit: 1, target: 99.95, tier: 'tier-1',
    description: 'The customer-facing web and mobile shop',
    ownDb: { name: 'orders-db', engine: 'postgresql', logical: 'orders', host: 'vm' },
    apps: [
      {
        name: 'Storefront', crit: 1, dns: `shop.${PUBLIC_ZONE}`,
        ms: [
          { name: 'storefront-web', lang: 'TypeScript', replicas: 3, api: { name: 'Storefront GraphQL API', type: 'graphql' }, uses: ['bucket:images'], calls: ['cart-service', 'search-api', 'auth-service'], staging: true },
          { name: 'cart-service', lang: 'Go', replicas: 3, uses: ['cache:redis'], calls: ['pricing-engine'] },
          { name: 'pricing-engine', lang: 'Kotlin', replicas: 2, uses: ['pg:shared'] },
        ],
      },
      {
        name: 'Checkout', crit: 1, dns: `checkout.${PUBLIC_ZONE}`,
        ms: [
          { name: 'checkout-service', lang: 'Java', replicas: 3, api: { name: 'Checkout API', type: 'openapi' }, uses: ['own-db', 'mq:kafka'], calls: ['cart-service', 'payment-gateway', 'order-service'], staging: true },
          { name: 'order-service', lang: 'Java', replicas: 3, api: { name: 'Order Events', type: 'asyncapi' }, uses: ['own-db', 'mq:kafka'], calls: ['inventory-service'] },
        ],
      },
    ],
  },
  {
    name: 'Payments', ns: 'payments', team: 'payments', crit: 1, target: 99.99, tier: 'tier-1',
    description: 'Card and wallet payments, refunds and payouts',
    ownDb: { name: 'payments-db', engine: 'postgresql', logical: 'payments', host: 'vm' },
    apps: [
      {
        name: 'Payment Processing', crit: 1, dns: `pay.${PUBLIC_ZONE}`, extra: ['saas:stripe'],
        ms: [
          { name: 'payment-gateway', lang: 'Java', replicas: 3, api: { name: 'Payments API', type: 'openapi' }, uses: ['own-db', 'saas:stripe'], calls: ['fraud-check'], staging: true },
          { name: 'fraud-check', lang: 'Python', replicas: 2, uses: ['cache:redis', 'pg:shared'] },
          { name: 'bnpl-service', lang: 'Kotlin', replicas: 2, uses: ['own-db'], lifecycle: 'planned', description: 'Buy now, pay later (planned for next quarter)' },
        ],
      },
      {
        name: 'Refunds and Payouts', crit: 2,
        ms: [{ name: 'refund-service', lang: 'Kotlin', replicas: 2, uses: ['own-db', 'mq:kafka', 'saas:stripe'], calls: ['payment-gateway'] }],
      },
    ],
  },
  {
    name: 'Product Search', ns: 'search', team: 'search', crit: 2, target: 99.9, tier: 'tier-2',
    description: 'Search, browse and product detail pages',
    apps: [
      {
        name: 'Search', crit: 2, dns: `search.${PUBLIC_ZONE}`,
        ms: [{ name: 'search-api', lang: 'Go', replicas: 3, api: { name: 'Search API', type: 'openapi' }, uses: ['search:index', 'cache:redis'], staging: true }],
      },
      {
        name: 'Catalog', crit: 2, extra: ['fn:resizer'],
        ms: [
          { name: 'catalog-service', lang: 'Kotlin', replicas: 2, api: { name: 'Catalog gRPC API', type: 'grpc' }, uses: ['pg:shared', 'bucket:images'] },
          { name: 'search-indexer', lang: 'Python', replicas: 2, uses: ['mq:kafka', 'search:index'], calls: ['catalog-service'] },
        ],
      },
    ],
  },
  {
    name: 'Warehouse Management', ns: 'warehouse', team: 'warehouse', crit: 2, target: 99.5, tier: 'tier-2',
    description: 'Stock, picking, packing and dispatch',
    apps: [
      {
        name: 'Inventory', crit: 2, extra: ['app:erp'],
        ms: [
          // inventory-service and order-service call each other: a deliberate dependency cycle.
          { name: 'inventory-service', lang: 'Java', replicas: 2, api: { name: 'Inventory gRPC API', type: 'grpc' }, uses: ['clouddb:wms', 'mq:kafka'], calls: ['order-service'] },
        ],
      },
      {
        name: 'Fulfilment', crit: 3, extra: ['dns:erp'],
        ms: [
          { name: 'fulfilment-service', lang: 'Go', replicas: 2, uses: ['pg:shared', 'mq:kafka'], calls: ['inventory-service'], lifecycle: 'maintenance', description: 'Carrier integration being upgraded' },
        ],
      },
    ],
  },
  {
    name: 'Customer Accounts', ns: 'identity', team: 'identity', crit: 1, target: 99.95, tier: 'tier-1',
    description: 'Sign-up, sign-in and customer profiles',
    apps: [
      {
        name: 'Sign-in', crit: 1, dns: `login.${PUBLIC_ZONE}`,
        ms: [{ name: 'auth-service', lang: 'Go', replicas: 3, api: { name: 'Auth API', type: 'openapi' }, uses: ['pg:shared', 'cache:redis'], staging: true }],
      },
      {
        name: 'Customer Profiles', crit: 2,
        ms: [
          { name: 'profile-service', lang: 'TypeScript', replicas: 2, uses: ['pg:shared'], calls: ['auth-service'] },
          { name: 'notification-service', lang: 'TypeScript', replicas: 2, uses: ['mq:kafka', 'saas:sendgrid'] },
        ],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------

/**
 * Generates the demo estate: the core shop of about 300 CIs, grown to `size` by adding business lines (with the
 * clusters, nodes, VMs, hypervisors, racks and storage they need) and then pod replicas. Pure and deterministic.
 */
export function generateEstate(opts: GenerateEstateOptions = {}): SeedEstate {
  const size = Math.max(0, Math.floor(opts.size ?? DEFAULT_SIZE));
  const b = new Builder(opts.seed ?? 1);
  for (const t of CORE_TEAMS) b.addTeam(t);

  b.buildNetwork();
  const prodPool = b.hostPool('prod', 'production');
  for (let i = 0; i < 4; i++) b.addHypervisor(prodPool);
  b.addHypervisor(b.hostPool('nonprod', 'staging'));
  at(prodPool.hypervisors, 2).lifecycle = 'maintenance';
  buildSharedPlatforms(b);
  buildInternalTools(b);
  buildWarehouseErp(b);
  b.prodClusterFor(0);
  b.stagingCluster();
  for (const l of CORE_LINES) b.line(l);

  // Grow by whole business lines while one more still fits, estimating a line's cost from those added so far.
  let lines = 0;
  let spent = 0;
  for (;;) {
    const avg = lines === 0 ? 40 : spent / lines;
    if (b.count + avg > size) break;
    const before = b.count;
    b.extraLine();
    spent += b.count - before;
    lines++;
  }
  b.resolveCalls();

  // Fill the remainder with extra replicas of the production microservices (round-robin).
  for (let i = 0; b.count < size && b.topUp.length > 0; i++) {
    const d = at(b.topUp, i % b.topUp.length);
    b.pod(d.kube, d.ns, `${d.name}-${d.hash}`, d.wl, d.owner);
  }

  // Redundancy of the node pools follows their final size.
  for (const k of [...b.prodClusters, ...b.stagingClusters]) {
    k.pool.attributes.redundancy = k.env !== 'production' ? 'any' : k.nodes.length <= 6 ? 'atLeast:2' : 'percent:50';
  }
  const stagingNode = b.stagingClusters[0]?.nodes[2];
  if (stagingNode) stagingNode.lifecycle = 'maintenance';
  const replica = b.get('payments-db-replica-2');
  replica.lifecycle = 'maintenance';
  replica.description = 'Disk replacement in progress';

  return { teams: b.teams, cis: b.cis, relationships: b.relationships };
}
