import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadClassModel } from '../../domain/class-model/load-class-model';
import { validateAttributes } from '../../domain/class-model/validate-attributes';
import { sharedData } from '../../../test/helpers/shared-data';
import { manifestsToBatch, serviceAddress } from './manifests';

const BOUTIQUE = sharedData('kubernetes', 'online-boutique', 'kubernetes-manifests.yaml');
const boutique = () => parseAllDocuments(readFileSync(BOUTIQUE, 'utf8')).map((d) => d.toJS() as unknown);
const model = loadClassModel();

const LEAVES = ['adservice', 'currencyservice', 'emailservice', 'paymentservice', 'shippingservice', 'productcatalogservice', 'redis-cart'];

describe('the Online Boutique release manifest', () => {
  const { batch, warnings } = manifestsToBatch(boutique(), { cluster: 'prod-1', environment: 'production', owner: 'shop' });
  const items = batch.items;
  const byRef = new Map(items.map((i) => [i.ref, i]));
  const of = (cls: string) => items.filter((i) => i.className === cls);
  /** DEPENDS_ON targets of a ref, as `<class-ish prefix>:<name>`. */
  const needs = (ref: string) =>
    batch.relationships
      .filter((r) => r.type === 'DEPENDS_ON' && r.from.ref === ref)
      .map((r) => r.to.ref!.replace(':default/', ':'))
      .sort();

  it('makes the cluster, the default namespace, 12 workloads and 12 Services, in that order', () => {
    expect(of('KubernetesCluster')).toEqual([{ ref: 'cluster', className: 'KubernetesCluster', name: 'prod-1', environment: 'PRODUCTION', attributes: { clusterName: 'prod-1' } }]);
    expect(of('KubernetesNamespace').map((i) => [i.name, i.attributes])).toEqual([['prod-1/default', { namespace: 'default' }]]);
    expect(of('KubernetesWorkload')).toHaveLength(12);
    expect(of('KubernetesService')).toHaveLength(12);
    expect(items.map((i) => i.className)).toEqual([
      'KubernetesCluster', 'KubernetesNamespace', ...Array(12).fill('KubernetesService'), ...Array(12).fill('KubernetesWorkload'),
    ]);
  });

  it('describes a workload by kind, first container image and replicas (1 when the Deployment does not say)', () => {
    expect(byRef.get('workload:default/frontend')).toEqual({
      ref: 'workload:default/frontend',
      className: 'KubernetesWorkload',
      name: 'prod-1/default/frontend',
      environment: 'PRODUCTION',
      owner: 'shop',
      attributes: {
        namespace: 'default',
        workloadName: 'frontend',
        kind: 'Deployment',
        image: 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend:v0.10.6',
        replicas: 1,
      },
    });
    // loadgenerator's first container is `main`, not the busybox init container.
    expect(byRef.get('workload:default/loadgenerator')?.attributes?.image).toMatch(/microservices-demo\/loadgenerator:v0\.10\.6$/);
    expect(byRef.get('workload:default/redis-cart')?.attributes?.image).toBe('redis:alpine');
  });

  it('describes a Service by type and Service ports (not target ports)', () => {
    expect(byRef.get('service:default/frontend-external')?.attributes).toEqual({
      namespace: 'default', serviceName: 'frontend-external', serviceType: 'LoadBalancer', ports: ['80/TCP'],
    });
    expect(byRef.get('service:default/emailservice')?.attributes).toMatchObject({ serviceType: 'ClusterIP', ports: ['5000/TCP'] });
  });

  it('runs every namespace, workload and Service on the cluster, and nothing else', () => {
    const runsOn = batch.relationships.filter((r) => r.type === 'RUNS_ON');
    expect(runsOn).toHaveLength(25);
    expect(runsOn.every((r) => r.to.ref === 'cluster')).toBe(true);
    expect(new Set(runsOn.map((r) => r.from.ref))).toEqual(new Set(items.slice(1).map((i) => i.ref)));
    expect(batch.relationships.every((r) => r.type === 'RUNS_ON' || r.type === 'DEPENDS_ON')).toBe(true);
  });

  it('makes each Service depend on the Deployment its selector picks; frontend is behind two Services', () => {
    for (const s of of('KubernetesService')) {
      const name = s.attributes!.serviceName as string;
      expect(needs(s.ref!)).toEqual([`workload:${name === 'frontend-external' ? 'frontend' : name}`]);
    }
  });

  it('makes each Deployment depend on the Services named in its env (16 edges, the init container counted once)', () => {
    expect(needs('workload:default/frontend')).toEqual(
      ['adservice', 'cartservice', 'checkoutservice', 'currencyservice', 'productcatalogservice', 'recommendationservice', 'shippingservice'].map((s) => `service:${s}`),
    );
    expect(needs('workload:default/checkoutservice')).toEqual(
      ['cartservice', 'currencyservice', 'emailservice', 'paymentservice', 'productcatalogservice', 'shippingservice'].map((s) => `service:${s}`),
    );
    expect(needs('workload:default/recommendationservice')).toEqual(['service:productcatalogservice']);
    expect(needs('workload:default/cartservice')).toEqual(['service:redis-cart']);
    expect(needs('workload:default/loadgenerator')).toEqual(['service:frontend']);
    for (const leaf of LEAVES) expect(needs(`workload:default/${leaf}`)).toEqual([]);
    const fromWorkloads = batch.relationships.filter((r) => r.type === 'DEPENDS_ON' && r.from.ref!.startsWith('workload:'));
    expect(fromWorkloads).toHaveLength(16);
  });

  it('reports the ServiceAccounts as skipped once, and the shopping assistant Service as not in the file', () => {
    expect(warnings).toEqual([
      'skipped 11 ServiceAccount objects: kind not imported',
      expect.stringMatching(/^Deployment default\/frontend: env SHOPPING_ASSISTANT_SERVICE_ADDR=shoppingassistantservice:80 names Service default\/shoppingassistantservice, which is not in these manifests/),
    ]);
  });

  it('produces items the class model accepts', () => {
    for (const i of items) {
      const v = validateAttributes(model, i.className, { name: i.name, ...i.attributes }, { partial: false });
      expect(v.ok, `${i.ref}: ${JSON.stringify(v)}`).toBe(true);
    }
  });

  it('puts objects without metadata.namespace in --namespace, and names them <cluster>/<namespace>/<name>', () => {
    const r = manifestsToBatch(boutique(), { cluster: 'c', namespace: 'boutique' });
    expect(r.batch.items.find((i) => i.className === 'KubernetesNamespace')?.name).toBe('c/boutique');
    expect(r.batch.items.find((i) => i.ref === 'workload:boutique/cartservice')?.name).toBe('c/boutique/cartservice');
    expect(r.batch.items.every((i) => i.environment === undefined && i.owner === undefined)).toBe(true);
  });
});

describe('manifests in general', () => {
  const deployment = (name: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}, namespace?: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: `${name}:1`, env: Object.entries(env).map(([k, v]) => ({ name: k, value: v })) }] },
      },
      ...extra,
    },
  });
  const service = (name: string, namespace?: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  });

  it('reads in-cluster addresses in the forms people write, and leaves settings and external hosts alone', () => {
    expect(serviceAddress('redis-cart:6379', 'shop')).toEqual({ namespace: 'shop', name: 'redis-cart', certain: true });
    expect(serviceAddress('http://api:8080/v1', 'shop')).toMatchObject({ namespace: 'shop', name: 'api' });
    expect(serviceAddress('grpc://api', 'shop')).toMatchObject({ namespace: 'shop', name: 'api' });
    expect(serviceAddress('db.data.svc.cluster.local:5432', 'shop')).toEqual({ namespace: 'data', name: 'db', certain: true });
    expect(serviceAddress('postgres://u:pw@db.data.svc:5432/app', 'shop')).toMatchObject({ namespace: 'data', name: 'db' });
    expect(serviceAddress('db.data:5432', 'shop')).toEqual({ namespace: 'data', name: 'db', certain: false });
    for (const v of ['8080', 'true', 'frontend', 'shop_session-id=x', 'https://www.example.com', 'api.example.com:443', 'localhost:9000', '/var/run'])
      expect(serviceAddress(v, 'shop'), v).toBeNull();
  });

  it('links across namespaces by FQDN, knows StatefulSets and DaemonSets, and splits address lists', () => {
    const r = manifestsToBatch(
      [
        deployment('web', { replicas: 3 }, { DB: 'db.data.svc.cluster.local:5432', CACHES: 'cache-a:6379,cache-b:6379', MODE: 'cache-a' }, 'shop'),
        { ...deployment('db', { replicas: 2 }, {}, 'data'), kind: 'StatefulSet' },
        { ...deployment('agent', {}, {}, 'kube-system'), kind: 'DaemonSet' },
        service('db', 'data', { clusterIP: 'None' }),
        service('cache-a', 'shop', { clusterIP: '10.0.0.7', ports: [{ port: 6379 }, { port: 6380, protocol: 'UDP' }] }),
        service('cache-b', 'shop'),
      ],
      { cluster: 'c' },
    );
    const byRef = new Map(r.batch.items.map((i) => [i.ref, i]));
    expect(byRef.get('workload:shop/web')?.attributes).toMatchObject({ kind: 'Deployment', replicas: 3 });
    expect(byRef.get('workload:data/db')?.attributes).toMatchObject({ kind: 'StatefulSet', replicas: 2 });
    expect(byRef.get('workload:kube-system/agent')?.attributes).not.toHaveProperty('replicas');
    expect(byRef.get('service:data/db')?.attributes).not.toHaveProperty('clusterIp');
    expect(byRef.get('service:shop/cache-a')?.attributes).toMatchObject({ clusterIp: '10.0.0.7', ports: ['6379/TCP', '6380/UDP'] });
    const deps = r.batch.relationships.filter((x) => x.type === 'DEPENDS_ON' && x.from.ref === 'workload:shop/web').map((x) => x.to.ref);
    expect(deps).toEqual(['service:data/db', 'service:shop/cache-a', 'service:shop/cache-b']);
    expect(r.batch.items.filter((i) => i.className === 'KubernetesNamespace').map((i) => i.name)).toEqual(['c/data', 'c/kube-system', 'c/shop']);
    expect(r.warnings).toEqual([]);
  });

  it('ignores empty documents, flattens Lists, keeps the first of two definitions, and skips each unknown kind once', () => {
    const r = manifestsToBatch(
      [
        null,
        undefined,
        {},
        { apiVersion: 'v1', kind: 'List', items: [deployment('a'), service('a')] },
        deployment('a', { replicas: 5 }),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'empty' } },
        { kind: 'Deployment', metadata: {} },
      ],
      { cluster: 'c' },
    );
    expect(r.batch.items.map((i) => i.name)).toEqual(['c', 'c/default', 'c/empty', 'c/default/a', 'c/default/a']);
    expect(r.batch.items.find((i) => i.ref === 'workload:default/a')?.attributes?.replicas).toBe(1);
    expect(r.warnings).toEqual([
      'a document without kind was skipped',
      'Deployment default/a is defined twice: the first definition was kept',
      'a Deployment without metadata.name was skipped',
      'skipped 2 ConfigMap objects: kind not imported',
    ]);
  });

  it('does not make a workload depend on its own Service, and rejects an unknown environment with a warning', () => {
    const r = manifestsToBatch([deployment('a', {}, { SELF: 'http://a' }), service('a')], { cluster: 'c', environment: 'prod' });
    expect(r.batch.relationships.filter((x) => x.type === 'DEPENDS_ON').map((x) => `${x.from.ref} -> ${x.to.ref}`)).toEqual(['service:default/a -> workload:default/a']);
    expect(r.warnings).toEqual([expect.stringMatching(/^environment "prod" is not one of/)]);
    expect(r.batch.items.every((i) => i.environment === undefined)).toBe(true);
  });
});
