// Owns turning Kubernetes manifests (parsed YAML documents) into one Ripple upsert batch, pure: the cluster, its
// namespaces, workload controllers and Services (each RUNS_ON the cluster, which identifies them), and the
// DEPENDS_ON edges a person would draw: a Service needs the workloads its selector picks, and a workload needs the
// Services its containers are pointed at through env var values (`cartservice:7070`, `http://x:80`,
// `x.ns.svc.cluster.local:80`). Whatever is not imported is reported as a warning.
//
// Choices (schema/classes.yaml):
// - Names are `<cluster>/<namespace>/<name>` for workloads and Services, `<cluster>/<namespace>` for namespaces,
//   `<cluster>` for the cluster. A workload and its Service often share a name (frontend and frontend); the class
//   tells them apart, and identification does not use the name (namespace + workloadName / serviceName within the
//   cluster).
// - Only the scope relationship (RUNS_ON the cluster) is sent per object: Ripple finds a scoped item's parent as
//   the first RUNS_ON from its ref, so a second RUNS_ON (to the namespace) could be taken for the scope.
// - The owner, when given, owns what the manifests describe (namespaces, workloads, Services), not the cluster,
//   which other teams' manifests share.
// - A workload's dependency on a Service that selects the workload itself is dropped: it would be a cycle of one.
import type { UpsertBatchInput, UpsertItem, UpsertRelationship } from '../../services/upsert-batch';

export interface ManifestOptions {
  cluster: string;
  /** Namespace for objects without metadata.namespace (what `kubectl apply -n` would use); default `default`. */
  namespace?: string;
  /** Ripple environment (production, staging, test, development, dr), any case. */
  environment?: string;
  /** Owning team by name. */
  owner?: string;
}

export interface ManifestBatch {
  batch: Omit<UpsertBatchInput, 'source'> & { items: UpsertItem[]; relationships: UpsertRelationship[] };
  warnings: string[];
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
const ENVIRONMENTS = ['production', 'staging', 'test', 'development', 'dr'];
// DNS-1123 label: what a Service or namespace name may be.
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function labels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

interface Workload {
  kind: WorkloadKind;
  namespace: string;
  name: string;
  ref: string;
  podLabels: Record<string, string>;
  podSpec: Obj;
  replicas: number | undefined;
}

interface Service {
  namespace: string;
  name: string;
  ref: string;
  selector: Record<string, string>;
  attributes: Record<string, unknown>;
}

/** The pod template of a controller (CronJob nests it one level deeper). */
function podTemplate(kind: WorkloadKind, spec: Obj): Obj {
  return kind === 'CronJob' ? obj(obj(obj(spec.jobTemplate).spec).template) : obj(spec.template);
}

/**
 * The Service a value points at, if it is written as an in-cluster address: `name:port`, `scheme://name[:port]`,
 * `name.ns[.svc[.cluster.local]][:port]`. A bare word without port or scheme is a setting, not an address.
 * Returns null when the value is no in-cluster address at all (an external host, a number, a path).
 */
export function serviceAddress(value: string, namespace: string): { namespace: string; name: string; certain: boolean } | null {
  let v = value.trim();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(v);
  if (scheme) v = v.slice(scheme[0].length);
  v = v.replace(/^[^@/]*@/, ''); // user:password@
  const m = /^([a-z0-9.-]+)(?::(\d{1,5}))?(?:[/?#].*)?$/i.exec(v);
  if (!m) return null;
  const host = m[1]!.toLowerCase().replace(/\.$/, '');
  const hasPort = m[2] !== undefined;
  const parts = host.split('.');
  if (!parts.every((p) => LABEL.test(p))) return null;
  if (parts.length === 1) {
    if (!hasPort && !scheme) return null;
    if (/^\d+$/.test(parts[0]!) || parts[0] === 'localhost') return null;
    return { namespace, name: parts[0]!, certain: true };
  }
  // name.ns, name.ns.svc, name.ns.svc.<cluster domain>: the third label must be svc when present.
  if (parts.length >= 3 && parts[2] !== 'svc') return null;
  if (parts.length === 2 && !hasPort && !scheme) return null;
  // `db.internal:5432` may as well be a host outside the cluster; `.svc` is sure.
  return { namespace: parts[1]!, name: parts[0]!, certain: parts.length >= 3 };
}

function serviceAttributes(spec: Obj, display: string, warnings: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const type = str(spec.type) ?? 'ClusterIP';
  if (SERVICE_TYPES.includes(type)) out.serviceType = type;
  else warnings.push(`Service ${display}: type "${type}" is not a Kubernetes Service type: left unset`);
  const ports = arr(spec.ports)
    .filter(isObj)
    .filter((p) => typeof p.port === 'number' || typeof p.port === 'string')
    .map((p) => `${String(p.port)}/${str(p.protocol) ?? 'TCP'}`);
  if (ports.length) out.ports = ports;
  // Headless Services say None; an empty string means "not allocated yet".
  const ip = str(spec.clusterIP);
  if (ip && ip !== 'None') out.clusterIp = ip;
  return out;
}

function selects(selector: Record<string, string>, podLabels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => podLabels[k] === selector[k]);
}

/** Flattens `kind: List` documents (what `kubectl get -o yaml` prints) and drops empty documents. */
function flatten(docs: unknown[]): Obj[] {
  const out: Obj[] = [];
  for (const d of docs) {
    if (!isObj(d)) continue;
    if (d.kind === 'List' || (typeof d.kind === 'string' && d.kind.endsWith('List') && Array.isArray(d.items))) out.push(...flatten(arr(d.items)));
    else out.push(d);
  }
  return out;
}

export function manifestsToBatch(docs: unknown[], opts: ManifestOptions): ManifestBatch {
  const warnings: string[] = [];
  const defaultNs = opts.namespace?.trim() || 'default';
  const cluster = opts.cluster.trim();
  let environment: string | undefined;
  if (opts.environment) {
    if (ENVIRONMENTS.includes(opts.environment.toLowerCase())) environment = opts.environment.toUpperCase();
    else warnings.push(`environment "${opts.environment}" is not one of ${ENVIRONMENTS.join(', ')}: left unset`);
  }
  const common = (withOwner: boolean): Partial<UpsertItem> => ({
    ...(environment ? { environment } : {}),
    ...(withOwner && opts.owner ? { owner: opts.owner } : {}),
  });
  const clusterRef = 'cluster';
  const nsRef = (ns: string) => `namespace:${ns}`;

  const namespaces = new Set<string>();
  const workloads: Workload[] = [];
  const services: Service[] = [];
  const seen = new Set<string>();
  const skipped = new Map<string, number>();

  for (const d of flatten(docs)) {
    const kind = str(d.kind);
    const meta = obj(d.metadata);
    const name = str(meta.name);
    if (!kind) {
      warnings.push(`a document without kind was skipped${name ? ` (metadata.name ${name})` : ''}`);
      continue;
    }
    const isWorkload = (WORKLOAD_KINDS as readonly string[]).includes(kind);
    if (kind !== 'Service' && kind !== 'Namespace' && !isWorkload) {
      skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
      continue;
    }
    if (!name) {
      warnings.push(`a ${kind} without metadata.name was skipped`);
      continue;
    }
    if (kind === 'Namespace') {
      namespaces.add(name);
      continue;
    }
    const namespace = str(meta.namespace) ?? defaultNs;
    const spec = obj(d.spec);
    // Workloads of different kinds share one identity (namespace + workloadName), as Services do.
    const key = `${isWorkload ? 'workload' : 'service'}:${namespace}/${name}`;
    if (seen.has(key)) {
      warnings.push(`${kind} ${namespace}/${name} is defined twice: the first definition was kept`);
      continue;
    }
    seen.add(key);
    namespaces.add(namespace);
    if (kind === 'Service') {
      services.push({ namespace, name, ref: key, selector: labels(spec.selector), attributes: serviceAttributes(spec, `${namespace}/${name}`, warnings) });
      continue;
    }
    const wk = kind as WorkloadKind;
    const template = podTemplate(wk, spec);
    const replicas =
      wk === 'Deployment' || wk === 'StatefulSet' ? (typeof spec.replicas === 'number' ? spec.replicas : 1) : undefined;
    workloads.push({ kind: wk, namespace, name, ref: key, podLabels: labels(obj(template.metadata).labels), podSpec: obj(template.spec), replicas });
  }
  for (const [kind, n] of skipped) warnings.push(`skipped ${n} ${kind} object${n === 1 ? '' : 's'}: kind not imported`);

  const items: UpsertItem[] = [];
  const relationships: UpsertRelationship[] = [];
  const runsOn = (ref: string) => relationships.push({ type: 'RUNS_ON', from: { ref }, to: { ref: clusterRef } });

  items.push({ ref: clusterRef, className: 'KubernetesCluster', name: cluster, ...common(false), attributes: { clusterName: cluster } });
  for (const ns of [...namespaces].sort()) {
    items.push({ ref: nsRef(ns), className: 'KubernetesNamespace', name: `${cluster}/${ns}`, ...common(true), attributes: { namespace: ns } });
    runsOn(nsRef(ns));
  }

  const serviceByKey = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const selectedBy = new Map<string, Set<string>>(); // service ref -> workload refs
  for (const s of services) {
    items.push({
      ref: s.ref,
      className: 'KubernetesService',
      name: `${cluster}/${s.namespace}/${s.name}`,
      ...common(true),
      attributes: { namespace: s.namespace, serviceName: s.name, ...s.attributes },
    });
    runsOn(s.ref);
    const targets = workloads.filter((w) => w.namespace === s.namespace && selects(s.selector, w.podLabels));
    selectedBy.set(s.ref, new Set(targets.map((w) => w.ref)));
    for (const w of targets) relationships.push({ type: 'DEPENDS_ON', from: { ref: s.ref }, to: { ref: w.ref } });
  }

  for (const w of workloads) {
    const containers = arr(w.podSpec.containers).filter(isObj);
    const image = str(containers[0]?.image);
    items.push({
      ref: w.ref,
      className: 'KubernetesWorkload',
      name: `${cluster}/${w.namespace}/${w.name}`,
      ...common(true),
      attributes: {
        namespace: w.namespace,
        workloadName: w.name,
        kind: w.kind,
        ...(image ? { image } : {}),
        ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
      },
    });
    runsOn(w.ref);
    const needs = new Set<string>();
    for (const c of [...arr(w.podSpec.initContainers), ...containers].filter(isObj)) {
      for (const e of arr(c.env).filter(isObj)) {
        const value = typeof e.value === 'string' ? e.value : undefined;
        if (!value) continue;
        for (const part of value.split(/[\s,;]+/).filter(Boolean)) {
          const addr = serviceAddress(part, w.namespace);
          if (!addr) continue;
          const svc = serviceByKey.get(`${addr.namespace}/${addr.name}`);
          if (!svc) {
            if (!addr.certain && !namespaces.has(addr.namespace)) continue;
            const k = `unresolved:${w.ref}:${addr.namespace}/${addr.name}`;
            if (!needs.has(k)) {
              needs.add(k);
              warnings.push(`${w.kind} ${w.namespace}/${w.name}: env ${str(e.name) ?? '?'}=${value} names Service ${addr.namespace}/${addr.name}, which is not in these manifests: no dependency recorded`);
            }
            continue;
          }
          if (selectedBy.get(svc.ref)?.has(w.ref)) continue;
          if (needs.has(svc.ref)) continue;
          needs.add(svc.ref);
          relationships.push({ type: 'DEPENDS_ON', from: { ref: w.ref }, to: { ref: svc.ref } });
        }
      }
    }
  }
  return { batch: { items, relationships }, warnings };
}
