// Owns the estates several integration tests build: the same shop, as discovery and people would record it, so
// a test adds only what it is about (owners, pods, odd shapes) instead of writing the chain out again.

type Item = { ref: string; className: string; name: string; [field: string]: unknown };
type Rel = { type: string; from: { ref: string }; to: { ref: string } };

/**
 * A business service down to hardware: shop -> shop-stack -> checkout (a Microservice on a KubernetesWorkload in
 * a cluster) -> a database cluster of three members (atLeast:2), each on its own VM on one hypervisor. `n` tags
 * every name with the test's key; `extra` adds fields to items by ref (owners, environments, attributes).
 */
export function shopEstate(n: (s: string) => string, namespace: string, extra: Record<string, Record<string, unknown>> = {}): { items: Item[]; relationships: Rel[] } {
  const items: Item[] = [
    { ref: 'bs', className: 'BusinessService', name: n('shop') },
    { ref: 'as', className: 'ApplicationService', name: n('shop-stack') },
    { ref: 'ms', className: 'Microservice', name: n('checkout') },
    { ref: 'wl', className: 'KubernetesWorkload', name: n('checkout-deploy'), attributes: { namespace, workloadName: 'checkout', kind: 'Deployment' } },
    { ref: 'kc', className: 'KubernetesCluster', name: n('k8s-prod'), attributes: { clusterName: n('k8s-prod') } },
    { ref: 'cl', className: 'Cluster', name: n('orders-db-cluster'), attributes: { clusterType: 'database', redundancy: 'atLeast:2' } },
    ...[1, 2, 3].flatMap((i) => [
      { ref: `db${i}`, className: 'Database', name: n(`orders-db-${i}`), attributes: { databaseName: 'orders', engine: 'postgresql' } },
      { ref: `vm${i}`, className: 'VirtualMachine', name: n(`db-vm-${i}`), attributes: { vmUuid: n(`vm-uuid-${i}`), hostname: n(`dbvm${i}`) } },
    ]),
    { ref: 'hv', className: 'Hypervisor', name: n('esx-01'), attributes: { serialNumber: n('SN-esx-01'), hypervisorType: 'vmware-esxi' } },
  ];
  const rel = (type: string, from: string, to: string): Rel => ({ type, from: { ref: from }, to: { ref: to } });
  const relationships = [
    rel('DEPENDS_ON', 'bs', 'as'),
    rel('DEPENDS_ON', 'as', 'ms'),
    rel('RUNS_ON', 'ms', 'wl'),
    rel('RUNS_ON', 'wl', 'kc'),
    rel('DEPENDS_ON', 'ms', 'cl'),
    ...[1, 2, 3].flatMap((i) => [rel('HAS_MEMBER', 'cl', `db${i}`), rel('RUNS_ON', `db${i}`, `vm${i}`), rel('HOSTED_ON', `vm${i}`, 'hv')]),
  ];
  return { items: items.map((it) => ({ ...it, ...extra[it.ref] })), relationships };
}
