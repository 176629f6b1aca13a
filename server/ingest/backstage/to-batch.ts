// Owns turning Backstage catalog entities into one Ripple upsert batch (teams, CIs, DEPENDS_ON relationships),
// pure: entity refs parsed by Backstage's rules, every relation checked against the import and the class model,
// and whatever cannot be mapped reported as a warning naming the entity, the field and the file.
//
// Class choices (schema/classes.yaml):
// - Group -> Team: ownership in Ripple is (ci)-[:OWNED_BY]->(:Team); Backstage owners are groups.
// - User -> nothing: Ripple has no person entity; counted, not imported.
// - Domain -> BusinessService: a business area that customers are served by, the top of the service model.
// - System -> ApplicationService: "a deployed stack delivering a business service"; it needs its parts.
// - Component -> Microservice (service, website: independently deployed), Library (library), Application (other
//   types: the generic deployable unit).
// - API -> Api, with apiType from spec.type (unknown styles -> other).
// - Resource -> not Database: Database is identified by databaseName *within its host* (RUNS_ON scope) and the
//   catalog never names the host, so the item would be rejected. Backstage resources are mostly provider-managed
//   (its docs: "BigTable databases, Pub/Sub topics, S3 buckets"), hence CloudManagedDatabase (type database),
//   CloudBucket (bucket types) or CloudFunction (function types), identified by cloudResourceId, which carries the
//   entity ref (the catalog gives no provider id). Other resource types (cdn, topic, cluster...) have no concrete
//   cloud class, so TechnicalService ("a shared platform") with platform = spec.type.
//
// Names and identification: Software classes are identified by catalogRef, then by name; Service classes only by
// name; both keys are namespaced by the declaring class (Software, Service), not by the concrete class. A plain
// `metadata.title ?? metadata.name` would therefore collide: this catalog has an API and a Component both called
// petstore (and wayback-archive, wayback-search), and a component `alternative/x` would silently merge into
// `default/x` by name. So every CI's name is its entity ref (`component:default/petstore`), unique per
// kind+namespace+name and stable across re-imports (a title change does not make a new CI), and Software CIs also
// carry catalogRef = that ref; the title, when there is one, leads the description.
import type { ClassModel } from '../../domain/class-model/types';
import type { UpsertBatchInput, UpsertItem, UpsertRelationship, UpsertTeam } from '../../services/upsert-batch';
import type { CatalogEntity, CatalogWarning } from './catalog';

export const BACKSTAGE_SOURCE = 'backstage';
export const DEFAULT_NAMESPACE = 'default';

export interface EntityRef {
  kind: string;
  namespace: string;
  name: string;
}

/** Backstage's canonical string form: kind in lower case, namespace always present. */
export function stringifyEntityRef(r: EntityRef): string {
  return `${r.kind.toLowerCase()}:${r.namespace}/${r.name}`;
}

/** Key for matching: Backstage compares entity refs case-insensitively. */
function refKey(r: EntityRef): string {
  return stringifyEntityRef(r).toLowerCase();
}

/**
 * Parses `[kind:][namespace/]name` as Backstage's parseEntityRef does (a `/` before the `:` makes the colon part
 * of the name); also accepts the legacy `{ kind, namespace, name }` object form. Returns a reason when invalid.
 */
export function parseEntityRef(
  ref: unknown,
  context: { defaultKind?: string; defaultNamespace?: string } = {},
): EntityRef | { error: string } {
  let kind: string | undefined;
  let namespace: string | undefined;
  let name: string | undefined;
  if (typeof ref === 'string') {
    let colon = ref.indexOf(':');
    const slash = ref.indexOf('/');
    if (slash !== -1 && slash < colon) colon = -1;
    kind = colon === -1 ? undefined : ref.slice(0, colon);
    namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
    name = ref.slice(Math.max(colon + 1, slash + 1));
    if (kind === '' || namespace === '' || name === '') {
      return { error: `"${ref}" is not of the form [<kind>:][<namespace>/]<name>` };
    }
  } else if (ref !== null && typeof ref === 'object' && !Array.isArray(ref)) {
    const o = ref as Record<string, unknown>;
    if (typeof o.name !== 'string' || !o.name) return { error: `${JSON.stringify(ref)} has no name` };
    kind = typeof o.kind === 'string' && o.kind ? o.kind : undefined;
    namespace = typeof o.namespace === 'string' && o.namespace ? o.namespace : undefined;
    name = o.name;
  } else {
    return { error: `${JSON.stringify(ref)} is not an entity reference` };
  }
  kind ??= context.defaultKind;
  if (!kind) return { error: `"${String(ref)}" has no kind (e.g. component:${String(ref)})` };
  return { kind, namespace: namespace ?? context.defaultNamespace ?? DEFAULT_NAMESPACE, name: name! };
}

// Backstage's validators: object names (KubernetesValidatorFunctions.isValidObjectName), DNS-label namespaces.
const VALID_NAME = /^([a-zA-Z0-9]+[-_.])*[a-zA-Z0-9]+$/;
const VALID_NAMESPACE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function nameProblem(name: unknown, namespace: unknown): string | undefined {
  if (typeof name !== 'string' || !name) return 'metadata.name is missing';
  if (name.length > 63 || !VALID_NAME.test(name)) {
    return `metadata.name "${name}" is not a valid Backstage name (letters, digits and [-_.] between them, at most 63)`;
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || namespace.length > 63 || !VALID_NAMESPACE.test(namespace))) {
    return `metadata.namespace ${JSON.stringify(namespace)} is not a valid namespace`;
  }
  return undefined;
}

export interface ToBatchOptions {
  model: ClassModel;
  /** For trials and tests: prefixes every CI name, team name and identifying attribute. */
  namePrefix?: string;
}

export interface RelationshipOrigin {
  /** The Backstage field that stated it, e.g. spec.providesApis. */
  field: string;
  entity: string;
  from: string;
  to: string;
}

export interface ToBatchResult {
  batch: Omit<UpsertBatchInput, 'dryRun'> & { teams: UpsertTeam[]; items: UpsertItem[]; relationships: UpsertRelationship[] };
  /** Parallel to batch.relationships. */
  origins: RelationshipOrigin[];
  warnings: CatalogWarning[];
  stats: {
    /** Entities per kind as read (duplicates and invalid ones included). */
    read: Record<string, number>;
    /** Entities per kind turned into a CI or a team. */
    imported: Record<string, number>;
    /** Items per Ripple class. */
    classes: Record<string, number>;
    /** Known kinds deliberately not imported (User, Location). */
    ignored: Record<string, number>;
    /** Kinds skipped with a warning. */
    skipped: Record<string, number>;
    /** Relationships per Backstage field. */
    relationships: Record<string, number>;
  };
}

const LIFECYCLES: Record<string, string> = {
  production: 'OPERATIONAL',
  experimental: 'PLANNED',
  // Still serving but no longer developed: not retired (it runs and can fail), so the closest is maintenance.
  deprecated: 'MAINTENANCE',
};

const API_TYPES = new Set(['openapi', 'asyncapi', 'graphql', 'grpc', 'trpc']);

interface Known {
  entity: CatalogEntity;
  ref: EntityRef;
  display: string;
  kind: string; // lower case
  /** Set once the entity is mapped: the item ref or team name. */
  itemRef?: string;
  className?: string;
  teamName?: string;
  skippedReason?: string;
}

function inc(m: Record<string, number>, k: string, by = 1): void {
  m[k] = (m[k] ?? 0) + by;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function canonicalKind(kind: string): string {
  const k = kind.toLowerCase();
  return { component: 'Component', api: 'API', system: 'System', domain: 'Domain', resource: 'Resource', group: 'Group', user: 'User', location: 'Location' }[k] ?? kind;
}

function classFor(kind: string, spec: Record<string, unknown>): string | undefined {
  const type = (str(spec.type) ?? '').toLowerCase();
  switch (kind) {
    case 'domain':
      return 'BusinessService';
    case 'system':
      return 'ApplicationService';
    case 'component':
      if (type === 'service' || type === 'website') return 'Microservice';
      if (type === 'library') return 'Library';
      return 'Application';
    case 'api':
      return 'Api';
    case 'resource':
      if (/database|^db$|sql|rds|mongo|dynamo|spanner|bigtable|cosmos/.test(type)) return 'CloudManagedDatabase';
      if (/bucket|^s3|^gcs|blob/.test(type)) return 'CloudBucket';
      if (/function|lambda/.test(type)) return 'CloudFunction';
      return 'TechnicalService';
    default:
      return undefined;
  }
}

function repositoryUrl(annotations: Record<string, unknown>): string | undefined {
  const loc = str(annotations['backstage.io/source-location']);
  if (loc?.startsWith('url:')) return loc.slice(4).replace(/\/tree\/[^/]+\/?$/, '').replace(/\/$/, '');
  const slug = str(annotations['github.com/project-slug']);
  if (slug && /^[\w.-]+\/[\w.-]+$/.test(slug)) return `https://github.com/${slug}`;
  return undefined;
}

function specUrl(spec: Record<string, unknown>, annotations: Record<string, unknown>): string | undefined {
  const def = spec.definition;
  if (def && typeof def === 'object' && !Array.isArray(def)) {
    for (const k of ['$text', '$yaml', '$json']) {
      const v = str((def as Record<string, unknown>)[k]);
      if (v && /^https?:\/\//i.test(v)) return v;
    }
  }
  const at = str(annotations['backstage.io/definition-at-location']);
  if (at?.startsWith('url:') && /^https?:\/\//i.test(at.slice(4))) return at.slice(4);
  return undefined;
}

/** Relation fields per kind: the default kind of a bare reference and how the DEPENDS_ON runs. */
interface RelationField {
  field: string;
  defaultKind?: string;
  /** Kinds the target may be (lower case); undefined: any kind Ripple imports. */
  targetKinds?: string[];
  /** 'out': entity DEPENDS_ON target; 'in': target DEPENDS_ON entity. */
  direction: 'out' | 'in';
}

const RELATION_FIELDS: Record<string, RelationField[]> = {
  component: [
    // Backstage gives dependsOn no default kind; a bare name is taken as a Component.
    { field: 'dependsOn', defaultKind: 'Component', direction: 'out' },
    { field: 'dependencyOf', defaultKind: 'Component', direction: 'in' },
    { field: 'consumesApis', defaultKind: 'API', targetKinds: ['api'], direction: 'out' },
    // The API works only while the component serving it does.
    { field: 'providesApis', defaultKind: 'API', targetKinds: ['api'], direction: 'in' },
    // The system needs its parts; the parent component needs its subcomponents.
    { field: 'system', defaultKind: 'System', targetKinds: ['system'], direction: 'in' },
    { field: 'subcomponentOf', defaultKind: 'Component', targetKinds: ['component'], direction: 'in' },
  ],
  api: [{ field: 'system', defaultKind: 'System', targetKinds: ['system'], direction: 'in' }],
  resource: [
    { field: 'dependsOn', defaultKind: 'Component', direction: 'out' },
    { field: 'dependencyOf', defaultKind: 'Component', direction: 'in' },
    { field: 'system', defaultKind: 'System', targetKinds: ['system'], direction: 'in' },
  ],
  // A System depends on nothing itself: its domain needs it.
  system: [{ field: 'domain', defaultKind: 'Domain', targetKinds: ['domain'], direction: 'in' }],
  domain: [{ field: 'subdomainOf', defaultKind: 'Domain', targetKinds: ['domain'], direction: 'in' }],
};

/** Fields that look like relations but are not Backstage's (or no longer are): reported, not guessed at. */
const NOT_RELATION_FIELDS = ['apiConsumedBy', 'implementsApis', 'apiProvidedBy'];

const MAPPED_KINDS = new Set(['component', 'api', 'system', 'domain', 'resource', 'group']);
const IGNORED_KINDS = new Set(['user', 'location']);

/** What the stages of one import share: the options, the entities by ref in catalog order, and what it reports. */
interface Import {
  model: ClassModel;
  prefix: string;
  warnings: CatalogWarning[];
  stats: ToBatchResult['stats'];
  known: Map<string, Known>;
  order: Known[];
}

export function entitiesToBatch(entities: readonly CatalogEntity[], opts: ToBatchOptions): ToBatchResult {
  const im: Import = {
    model: opts.model,
    prefix: opts.namePrefix ?? '',
    warnings: [],
    stats: { read: {}, imported: {}, classes: {}, ignored: {}, skipped: {}, relationships: {} },
    known: new Map(),
    order: [],
  };
  for (const entity of entities) collect(im, entity);
  const teams: UpsertTeam[] = [];
  const items: UpsertItem[] = [];
  for (const k of im.order) mapEntity(im, k, teams, items);
  setOwners(im, items);
  const { relationships, origins } = relate(im);
  return { batch: { source: BACKSTAGE_SOURCE, teams, items, relationships }, origins, warnings: im.warnings, stats: im.stats };
}

/** Validity and duplicates: the first definition of a ref wins. */
function collect(im: Import, entity: CatalogEntity): void {
  const kindName = canonicalKind(entity.kind);
  inc(im.stats.read, kindName);
  const kind = entity.kind.toLowerCase();
  if (kind === 'location') return inc(im.stats.ignored, kindName);
  const problem = nameProblem(entity.metadata.name, entity.metadata.namespace);
  const ref: EntityRef = {
    kind: kindName,
    namespace: str(entity.metadata.namespace) ?? DEFAULT_NAMESPACE,
    name: String(entity.metadata.name ?? ''),
  };
  const display = stringifyEntityRef(ref);
  if (problem) {
    im.warnings.push({ category: 'invalid', entity: display, file: entity.file, field: 'metadata.name', message: `${problem}: not imported` });
    return inc(im.stats.skipped, kindName);
  }
  const key = refKey(ref);
  const first = im.known.get(key);
  if (first) {
    im.warnings.push({
      category: 'duplicate',
      entity: display,
      file: entity.file,
      message: `defined again in ${entity.file} (document ${entity.document + 1}); kept the first, from ${first.entity.file}`,
    });
    return;
  }
  const k: Known = { entity, ref, display, kind };
  im.known.set(key, k);
  im.order.push(k);
}

/** Maps an entity to a team or a CI, or counts it as ignored or skipped. */
function mapEntity(im: Import, k: Known, teams: UpsertTeam[], items: UpsertItem[]): void {
  const kindName = canonicalKind(k.entity.kind);
  if (IGNORED_KINDS.has(k.kind)) return inc(im.stats.ignored, kindName);
  if (!MAPPED_KINDS.has(k.kind)) {
    k.skippedReason = `kind ${k.entity.kind} is not imported`;
    im.warnings.push({ category: 'skipped', entity: k.display, file: k.entity.file, message: `kind ${k.entity.kind} has no Ripple class: skipped` });
    return inc(im.stats.skipped, kindName);
  }
  if (k.kind === 'group') teams.push(toTeam(im, k));
  else items.push(toItem(im, k));
  inc(im.stats.imported, kindName);
}

function toTeam(im: Import, k: Known): UpsertTeam {
  // The name owners refer to, not the display name: teams are identified by name, and a renamed displayName
  // must not make a new team. Non-default namespaces keep theirs so that two groups never merge.
  const base = k.ref.namespace === DEFAULT_NAMESPACE ? k.ref.name : `${k.ref.namespace}/${k.ref.name}`;
  k.teamName = im.prefix + base;
  const profile = k.entity.spec.profile && typeof k.entity.spec.profile === 'object' ? (k.entity.spec.profile as Record<string, unknown>) : {};
  const team: UpsertTeam = { name: k.teamName };
  const email = str(profile.email);
  if (email) team.email = email;
  return team;
}

function toItem(im: Import, k: Known): UpsertItem {
  const className = classFor(k.kind, k.entity.spec)!;
  k.className = className;
  k.itemRef = k.display;
  const title = str(k.entity.metadata.title);
  const desc = str(k.entity.metadata.description);
  const item: UpsertItem = { ref: k.itemRef, className, name: im.prefix + k.display, attributes: itemAttributes(im, k, className) };
  const description = title && desc ? `${title}: ${desc}` : (desc ?? title);
  if (description) item.description = description;
  const lifecycle = str(k.entity.spec.lifecycle);
  if (lifecycle) {
    const mapped = LIFECYCLES[lifecycle.toLowerCase()];
    if (mapped) item.lifecycle = mapped;
    else {
      im.warnings.push({ category: 'unmapped', entity: k.display, file: k.entity.file, field: 'spec.lifecycle', message: `lifecycle "${lifecycle}" has no Ripple equivalent: left unset` });
    }
  }
  inc(im.stats.classes, className);
  return item;
}

function itemAttributes(im: Import, k: Known, className: string): Record<string, unknown> {
  const { model, prefix } = im;
  const spec = k.entity.spec;
  const annotations = k.entity.metadata.annotations && typeof k.entity.metadata.annotations === 'object'
    ? (k.entity.metadata.annotations as Record<string, unknown>)
    : {};
  const attrs: Record<string, unknown> = {};
  if (model.isA(className, 'Software')) attrs.catalogRef = prefix + k.display;
  if (model.isA(className, 'CloudResource')) attrs.cloudResourceId = prefix + k.display;
  if (className === 'CloudBucket') attrs.bucketName = k.ref.name;
  if (className === 'CloudFunction') attrs.functionName = k.ref.name;
  if (className === 'TechnicalService' && str(spec.type)) attrs.platform = str(spec.type);
  if (className === 'Api') {
    const t = (str(spec.type) ?? '').toLowerCase();
    attrs.apiType = API_TYPES.has(t) ? t : 'other';
    const url = specUrl(spec, annotations);
    if (url) attrs.specUrl = url;
  }
  if (model.isA(className, 'Application')) {
    const repo = repositoryUrl(annotations);
    if (repo) attrs.repositoryUrl = repo;
  }
  return attrs;
}

function resolveRef(im: Import, k: Known, field: string, raw: unknown, defaultKind: string | undefined) {
  const parsed = parseEntityRef(raw, { defaultKind, defaultNamespace: k.ref.namespace });
  if ('error' in parsed) {
    im.warnings.push({ category: 'invalid', entity: k.display, file: k.entity.file, field: `spec.${field}`, message: `${parsed.error}: ignored` });
    return undefined;
  }
  return { parsed, target: im.known.get(refKey(parsed)) };
}

/** Owners: a group in the import becomes the item's owning team; anything else is reported. */
function setOwners(im: Import, items: UpsertItem[]): void {
  const itemByRef = new Map(items.map((i) => [i.ref, i]));
  for (const k of im.order) {
    if (!k.itemRef || k.entity.spec.owner === undefined) continue;
    const r = resolveRef(im, k, 'owner', k.entity.spec.owner, 'Group');
    if (!r) continue;
    const target = stringifyEntityRef(r.parsed);
    const at = { entity: k.display, file: k.entity.file, field: 'spec.owner' };
    if (r.parsed.kind.toLowerCase() === 'user') {
      im.warnings.push({ category: 'owner', ...at, message: `owned by ${target}${r.target ? '' : ' (not in the import)'}: Ripple teams are groups, no owner set` });
    } else if (!r.target) {
      im.warnings.push({ category: 'unresolved', ...at, message: `${target}: no such entity in the import` });
    } else if (!r.target.teamName) {
      im.warnings.push({ category: 'owner', ...at, message: `${target} is a ${r.target.entity.kind}, not a group: no owner set` });
    } else {
      itemByRef.get(k.itemRef)!.owner = r.target.teamName;
    }
  }
}

/** Relationships, each one checked against the import and the class model. */
function relate(im: Import): { relationships: UpsertRelationship[]; origins: RelationshipOrigin[] } {
  const out = { relationships: [] as UpsertRelationship[], origins: [] as RelationshipOrigin[], seen: new Set<string>() };
  for (const k of im.order) {
    if (!k.itemRef) continue;
    for (const f of NOT_RELATION_FIELDS) {
      if (k.entity.spec[f] !== undefined) {
        im.warnings.push({ category: 'ignored', entity: k.display, file: k.entity.file, field: `spec.${f}`, message: `spec.${f} is not a Backstage relation field: ignored` });
      }
    }
    for (const rf of RELATION_FIELDS[k.kind] ?? []) {
      for (const raw of list(k.entity.spec[rf.field])) relateOne(im, k, rf, raw, out);
    }
  }
  return out;
}

function relateOne(
  im: Import,
  k: Known,
  rf: RelationField,
  raw: unknown,
  out: { relationships: UpsertRelationship[]; origins: RelationshipOrigin[]; seen: Set<string> },
): void {
  const r = resolveRef(im, k, rf.field, raw, rf.defaultKind);
  if (!r) return;
  const target = stringifyEntityRef(r.parsed);
  const at = { entity: k.display, file: k.entity.file, field: `spec.${rf.field}` };
  const warn = (category: CatalogWarning['category'], message: string) => void im.warnings.push({ category, ...at, message });
  if (!r.target) return warn('unresolved', `${target}: no such entity in the import`);
  if (rf.targetKinds && !rf.targetKinds.includes(r.target.kind)) {
    return warn('invalid', `${target} is a ${r.target.entity.kind}; expected ${rf.targetKinds.join(' or ')}: ignored`);
  }
  if (!r.target.itemRef || !r.target.className) {
    return warn('unresolved', `${target} is not imported (${r.target.skippedReason ?? `a ${r.target.entity.kind} is not a CI`})`);
  }
  const [from, to] = rf.direction === 'out' ? [k, r.target] : [r.target, k];
  if (from === to) return warn('invalid', `${target} is the entity itself: ignored`);
  if (!im.model.allowsRelationship('DEPENDS_ON', from.className!, to.className!)) {
    return warn('invalid', `DEPENDS_ON from ${from.className} to ${to.className} is not allowed by the class model`);
  }
  const dedupe = `${from.itemRef}->${to.itemRef}`;
  if (out.seen.has(dedupe)) return;
  out.seen.add(dedupe);
  out.relationships.push({ type: 'DEPENDS_ON', from: { ref: from.itemRef! }, to: { ref: to.itemRef! } });
  out.origins.push({ field: `spec.${rf.field}`, entity: k.display, from: from.display, to: to.display });
  inc(im.stats.relationships, `spec.${rf.field}`);
}
