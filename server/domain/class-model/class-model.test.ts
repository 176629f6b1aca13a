import { describe, it, expect } from 'vitest';
import { ClassModelError, parseClassModel } from './class-model';
import { loadClassModel } from './load-class-model';
import { RULES } from '../impact/test-graph';

const model = loadClassModel();

interface RawClass {
  name: string; parent?: string; abstract: boolean; family?: string; description: string;
  attributes?: Record<string, unknown>[]; identification?: { attributes: string[] }[];
}
interface RawModel {
  classes: RawClass[];
  relationships: { type: string; from: string[]; to: string[]; [k: string]: unknown }[];
  precedence: { default: string[]; overrides?: { class: string; attribute?: string; sources: string[] }[] };
  [k: string]: unknown;
}

/** A tiny valid model; tests break one thing at a time. */
function rawModel(): RawModel {
  return {
    version: 1,
    commonAttributes: [{ name: 'name', type: 'string', required: true, description: 'Name.' }],
    ownership: { relationship: 'OWNED_BY', to: 'Team', description: 'Owner.' },
    teams: { description: 'Teams.', attributes: [{ name: 'name', type: 'string', description: 'Name.' }] },
    relationships: [
      { type: 'DEPENDS_ON', description: 'Needs.', impacting: true, from: ['CI'], to: ['CI'] },
      { type: 'OWNED_BY', description: 'Owner.', impacting: false, from: ['CI'], to: ['Team'] },
    ],
    precedence: { default: ['manual', 'seed'] },
    classes: [
      { name: 'CI', abstract: true, description: 'Root.', identification: [{ attributes: ['name'] }] },
      { name: 'Hardware', parent: 'CI', abstract: true, family: 'hardware', description: 'Hw.',
        attributes: [{ name: 'serialNumber', type: 'string', description: 'Serial.' }] },
      { name: 'Server', parent: 'Hardware', abstract: false, description: 'Server.',
        identification: [{ attributes: ['serialNumber'] }] },
    ],
  };
}

function rejection(raw: unknown): ClassModelError {
  try {
    parseClassModel(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ClassModelError);
    return err as ClassModelError;
  }
  throw new Error('expected the model to be rejected');
}

describe('the shipped class model (schema/classes.yaml)', () => {
  it('loads and offers every class other code relies on', () => {
    for (const name of [
      'CI', 'Hardware', 'Server', 'LinuxServer', 'WindowsServer', 'Hypervisor', 'NetworkDevice', 'Switch', 'Router',
      'Firewall', 'StorageDevice', 'Virtual', 'VirtualMachine', 'Container', 'Kubernetes', 'KubernetesCluster',
      'KubernetesNode', 'KubernetesNamespace', 'KubernetesWorkload', 'KubernetesPod', 'KubernetesService', 'DataStore',
      'Database', 'Cache', 'MessageQueue', 'Software', 'Application', 'Microservice', 'Api', 'Library', 'Process',
      'CloudResource', 'CloudBucket', 'CloudFunction', 'CloudManagedDatabase', 'SaasService', 'Network', 'DnsZone',
      'DnsRecord', 'VirtualIp', 'Grouping', 'LoadBalancer', 'Cluster', 'Service', 'BusinessService',
      'ApplicationService', 'TechnicalService',
    ]) expect(model.has(name), name).toBe(true);
  });

  it('labels a Linux server with its whole path from CI', () => {
    expect(model.labelsFor('LinuxServer')).toEqual(['CI', 'Hardware', 'Server', 'LinuxServer']);
    expect(model.ancestors('LinuxServer')).toEqual(['CI', 'Hardware', 'Server']);
  });

  it('lets a query on Server reach Linux, Windows servers and hypervisors', () => {
    expect(model.descendants('Server')).toEqual(['LinuxServer', 'WindowsServer', 'Hypervisor']);
    expect(model.descendants('Server', true)[0]).toBe('Server');
    expect(model.isA('Hypervisor', 'Hardware')).toBe(true);
    expect(model.isA('VirtualMachine', 'Hardware')).toBe(false);
  });

  it("tells CSDM's service kinds apart, and a database from any service", () => {
    expect(['BusinessService', 'ApplicationService', 'TechnicalService', 'Database'].map((c) => model.serviceKind(c))).toEqual(['business', 'application', 'technical', undefined]);
    expect(model.serviceKind('NoSuchClass')).toBeUndefined();
  });

  it('identifies a Linux server by the Server rules: serial, then hostname+domain, then cloud instance id', () => {
    expect(model.identificationRules('LinuxServer').map((r) => r.attributes)).toEqual([
      ['serialNumber'], ['hostname', 'domain'], ['cloudInstanceId'],
    ]);
    expect(model.identificationRules('LinuxServer')[0]!.declaredBy).toBe('Server');
  });

  it('identifies pods and databases within their parent', () => {
    expect(model.identificationRules('KubernetesPod')).toEqual([{
      attributes: ['namespace', 'podName'], declaredBy: 'KubernetesPod',
      scope: { relationship: 'RUNS_ON', parentClass: 'KubernetesCluster' },
    }]);
    expect(model.identificationRules('Database')[0]!.scope).toEqual({ relationship: 'RUNS_ON', parentClass: 'CI' });
  });

  it('gives every concrete class a family and at least one identification rule', () => {
    for (const name of model.concreteClasses()) {
      expect(model.family(name), name).toBeDefined();
      expect(model.identificationRules(name).length, name).toBeGreaterThan(0);
    }
    expect(model.concreteClasses()).not.toContain('Hardware');
  });

  it('lists inherited attributes root first, after the common ones', () => {
    const names = model.attributesOf('LinuxServer').map((a) => a.name);
    expect(names.slice(0, 3)).toEqual(['id', 'name', 'class']);
    expect(names.indexOf('serialNumber')).toBeLessThan(names.indexOf('hostname'));
    expect(names.indexOf('hostname')).toBeLessThan(names.indexOf('kernelVersion'));
    expect(model.attribute('Cluster', 'redundancy')).toMatchObject({ type: 'redundancy', declaredBy: 'Grouping' });
    expect(model.classAttributesOf('Cluster').map((a) => a.name)).toEqual(['redundancy', 'clusterType']);
  });

  it('treats every relationship but OWNED_BY as impacting and HAS_MEMBER as governed by redundancy', () => {
    expect(model.impactingTypes().sort()).toEqual(['CONNECTS_TO', 'DEPENDS_ON', 'HAS_MEMBER', 'HOSTED_ON', 'RUNS_ON']);
    expect(model.relationship('HAS_MEMBER')?.redundancyFromSource).toBe(true);
    expect(model.relationship('OWNED_BY')?.impacting).toBe(false);
  });

  it('gives impact propagation the same rules the walk reads, as the impact unit tests assume them', () => {
    const rules = model.impactRules();
    expect([...rules.impacting].sort()).toEqual(model.impactingTypes().sort());
    expect([...rules.impacting].sort()).toEqual([...RULES.impacting].sort());
    expect([...rules.membership]).toEqual([...RULES.membership]);
  });

  it('allows a VM on a hypervisor and team ownership, but not a server owned by a server', () => {
    expect(model.allowsRelationship('HOSTED_ON', 'VirtualMachine', 'Hypervisor')).toBe(true);
    expect(model.allowsRelationship('OWNED_BY', 'BusinessService', 'Team')).toBe(true);
    expect(model.allowsRelationship('OWNED_BY', 'LinuxServer', 'LinuxServer')).toBe(false);
    expect(model.allowsRelationship('HAS_MEMBER', 'LinuxServer', 'LinuxServer')).toBe(false);
    expect(model.allowsRelationship('NOPE', 'CI', 'CI')).toBe(false);
  });

  it('lets cloud APIs lead for cloud resources while manual leads by default', () => {
    expect(model.precedence('LinuxServer', 'os')[0]).toBe('manual');
    const bucket = model.precedence('CloudBucket', 'region');
    expect(bucket.slice(0, 3)).toEqual(['aws', 'gcp', 'azure']);
    expect([...bucket].sort()).toEqual([...model.precedenceRules.default].sort());
    expect(model.precedence('Microservice', 'version')[0]).toBe('k8s');
    expect(model.precedence('Microservice', 'language')[0]).toBe('manual');
  });

  it('reports an unknown class by name instead of answering', () => {
    expect(() => model.labelsFor('Toaster')).toThrow(/Toaster/);
    expect(model.get('Toaster')).toBeUndefined();
    expect(model.isA('Toaster', 'CI')).toBe(false);
  });
});

describe('a broken class model', () => {
  it('is accepted when nothing is broken (baseline for the cases below)', () => {
    expect(parseClassModel(rawModel()).labelsFor('Server')).toEqual(['CI', 'Hardware', 'Server']);
  });

  it('is rejected when a class names an unknown parent, naming the class', () => {
    const raw = rawModel();
    raw.classes[2]!.parent = 'Hardwear';
    const err = rejection(raw);
    expect(err.message).toMatch(/"Server".*"Hardwear"/);
    expect(err.field).toBe('classes.Server.parent');
  });

  it('is rejected when parents form a cycle, naming a class in it', () => {
    const raw = rawModel();
    raw.classes.push(
      { name: 'Alpha', parent: 'Beta', abstract: false, family: 'virtual', description: 'A.' },
      { name: 'Beta', parent: 'Alpha', abstract: false, family: 'virtual', description: 'B.' },
    );
    expect(rejection(raw).message).toMatch(/"Alpha".*cycle/);
  });

  it('is rejected when identification names an attribute the class lacks, naming class and attribute', () => {
    const raw = rawModel();
    raw.classes[2]!.identification = [{ attributes: ['hostname'] }];
    const err = rejection(raw);
    expect(err.message).toMatch(/"Server".*"hostname"/);
    expect(err.field).toBe('classes.Server.identification[0]');
  });

  it('is rejected when a class is declared twice', () => {
    const raw = rawModel();
    raw.classes.push({ ...raw.classes[2]! });
    expect(rejection(raw).message).toMatch(/"Server" is declared twice/);
  });

  it('is rejected when an enum has no values, naming the attribute', () => {
    const raw = rawModel();
    raw.classes[1]!.attributes!.push({ name: 'kind', type: 'enum', description: 'Kind.' });
    expect(rejection(raw).field).toBe('classes.Hardware.attributes.kind');
  });

  it('is rejected when a relationship names an unknown class', () => {
    const raw = rawModel();
    raw.relationships[0]!.to = ['Databse'];
    expect(rejection(raw).message).toMatch(/DEPENDS_ON.*"Databse"/);
  });

  it('is rejected when a child redeclares an inherited attribute', () => {
    const raw = rawModel();
    raw.classes[2]!.attributes = [{ name: 'serialNumber', type: 'int', description: 'Again.' }];
    expect(rejection(raw).message).toMatch(/"Server" redeclares attribute "serialNumber"/);
  });

  it('is rejected with the class name when a field has the wrong shape', () => {
    const raw = rawModel();
    raw.classes[2]!.attributes = [{ name: 'cpus', type: 'integer', description: 'Typo in type.' }];
    expect(rejection(raw).field).toBe('classes.Server.attributes.cpus.type');
  });

  it('is rejected when a precedence override names an unknown attribute', () => {
    const raw = rawModel();
    raw.precedence.overrides = [{ class: 'Server', attribute: 'colour', sources: ['manual'] }];
    expect(rejection(raw).message).toMatch(/"colour".*"Server"/);
  });
});
