// Parses and checks the raw class model (schema/classes.yaml) and answers questions about the CI hierarchy.
import { z } from 'zod';
import {
  ATTRIBUTE_TYPES, FAMILIES,
  type AttributeDef, type ClassDef, type ClassModel, type Family, type IdentificationRule, type ImpactRules, type OwnershipDef,
  type PrecedenceDef, type RelationshipTypeDef, type ServiceKind, type TeamDef,
} from './types';

/** Thrown for an invalid class model (code INVALID_CLASS_MODEL) or a question about an unknown class. */
export class ClassModelError extends Error {
  override readonly name = 'ClassModelError';
  constructor(
    readonly code: 'INVALID_CLASS_MODEL' | 'UNKNOWN_CLASS',
    message: string,
    /** Where in the model, e.g. `classes.Server.identification[1]`. */
    readonly field?: string,
  ) {
    super(message);
  }
}

const TEAM = 'Team';
const PASCAL = /^[A-Z][A-Za-z0-9]*$/;
const CAMEL = /^[a-z][A-Za-z0-9]*$/;
const UPPER_SNAKE = /^[A-Z][A-Z0-9_]*$/;

const attributeSchema = z.strictObject({
  name: z.string().regex(CAMEL, 'attribute names are camelCase'),
  type: z.enum(ATTRIBUTE_TYPES),
  values: z.array(z.string().min(1)).optional(),
  required: z.boolean().default(false),
  readOnly: z.boolean().default(false),
  min: z.number().optional(),
  max: z.number().optional(),
  description: z.string().min(1),
});

const ruleSchema = z.strictObject({
  attributes: z.array(z.string().min(1)).min(1),
  scope: z.strictObject({ relationship: z.string().min(1), parentClass: z.string().min(1) }).optional(),
});

const classSchema = z.strictObject({
  name: z.string().regex(PASCAL, 'class names are PascalCase'),
  parent: z.string().min(1).optional(),
  abstract: z.boolean(),
  description: z.string().min(1),
  family: z.enum(FAMILIES).optional(),
  attributes: z.array(attributeSchema).default([]),
  identification: z.array(ruleSchema).optional(),
});

const relationshipSchema = z.strictObject({
  type: z.string().regex(UPPER_SNAKE, 'relationship types are UPPER_SNAKE'),
  description: z.string().min(1),
  impacting: z.boolean(),
  redundancyFromSource: z.boolean().default(false),
  from: z.array(z.string().min(1)).min(1),
  to: z.array(z.string().min(1)).min(1),
});

const modelSchema = z.strictObject({
  version: z.literal(1),
  commonAttributes: z.array(attributeSchema),
  ownership: z.strictObject({ relationship: z.string(), to: z.string(), description: z.string().min(1) }),
  teams: z.strictObject({ description: z.string().min(1), attributes: z.array(attributeSchema).min(1) }),
  relationships: z.array(relationshipSchema).min(1),
  precedence: z.strictObject({
    default: z.array(z.string().min(1)).min(1),
    overrides: z.array(z.strictObject({
      class: z.string().min(1),
      attribute: z.string().min(1).optional(),
      sources: z.array(z.string().min(1)).min(1),
    })).default([]),
  }),
  classes: z.array(classSchema).min(1),
});

type RawAttribute = z.infer<typeof attributeSchema>;

function fail(field: string, message: string): never {
  throw new ClassModelError('INVALID_CLASS_MODEL', `Invalid class model at ${field}: ${message}`, field);
}

/** Names zod issue paths by class / relationship name rather than array index, e.g. `classes.Server.attributes[2].type`. */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    const child = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const label = child !== null && typeof child === 'object'
        ? ((child as Record<string, unknown>).name ?? (child as Record<string, unknown>).type)
        : undefined;
      out += typeof label === 'string' && label !== '' ? `.${label}` : `[${key}]`;
    } else {
      out += out === '' ? String(key) : `.${String(key)}`;
    }
    node = child;
  }
  return out === '' ? '(root)' : out;
}

function checkAttributes(attrs: readonly RawAttribute[], where: string): void {
  const seen = new Set<string>();
  for (const a of attrs) {
    const at = `${where}.${a.name}`;
    if (seen.has(a.name)) fail(at, `attribute "${a.name}" is declared twice`);
    seen.add(a.name);
    if (a.type === 'enum') {
      if (!a.values || a.values.length === 0) fail(at, `enum attribute "${a.name}" has no values`);
      if (new Set(a.values).size !== a.values.length) fail(at, `enum attribute "${a.name}" repeats a value`);
    } else if (a.values) {
      fail(at, `attribute "${a.name}" has values but is of type ${a.type}, not enum`);
    }
    if ((a.min !== undefined || a.max !== undefined) && a.type !== 'int' && a.type !== 'float') {
      fail(at, `attribute "${a.name}" has min/max but is of type ${a.type}`);
    }
    if (a.min !== undefined && a.max !== undefined && a.min > a.max) fail(at, `attribute "${a.name}" has min > max`);
  }
}

function toAttributeDef(a: RawAttribute, declaredBy: string | null): AttributeDef {
  const def: AttributeDef = {
    name: a.name, type: a.type, required: a.required, readOnly: a.readOnly, description: a.description, declaredBy,
  };
  if (a.values) def.values = Object.freeze([...a.values]);
  if (a.min !== undefined) def.min = a.min;
  if (a.max !== undefined) def.max = a.max;
  return Object.freeze(def);
}

/** Validates raw (YAML-parsed) data and returns the class model; throws ClassModelError naming the offending part. */
export function parseClassModel(raw: unknown): ClassModel {
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(describePath(raw, issue.path), issue.message);
  }
  const data = parsed.data;

  checkAttributes(data.commonAttributes, 'commonAttributes');
  const common = data.commonAttributes.map((a) => toAttributeDef(a, null));
  const commonNames = new Set(common.map((a) => a.name));

  // Hierarchy: unique names, a single root, known parents, no cycles.
  const rawByName = new Map<string, z.infer<typeof classSchema>>();
  for (const c of data.classes) {
    if (rawByName.has(c.name)) fail(`classes.${c.name}`, `class "${c.name}" is declared twice`);
    rawByName.set(c.name, c);
  }
  const roots = data.classes.filter((c) => c.parent === undefined);
  if (roots.length !== 1) {
    fail('classes', `expected exactly one root class without parent, found ${roots.map((c) => c.name).join(', ') || 'none'}`);
  }
  const root = roots[0]!.name;
  for (const c of data.classes) {
    if (c.parent !== undefined && !rawByName.has(c.parent)) {
      fail(`classes.${c.name}.parent`, `class "${c.name}" has unknown parent "${c.parent}"`);
    }
  }
  const paths = new Map<string, string[]>();
  for (const c of data.classes) {
    const path: string[] = [];
    const seen = new Set<string>();
    let cur: string | undefined = c.name;
    while (cur !== undefined) {
      if (seen.has(cur)) fail(`classes.${c.name}.parent`, `class "${c.name}" is in a cycle of parents (${[...path].reverse().join(' -> ')} -> ${cur})`);
      seen.add(cur);
      path.unshift(cur);
      cur = rawByName.get(cur)!.parent;
    }
    paths.set(c.name, path);
  }

  // Relationships (needed before identification scopes).
  const relationships = new Map<string, RelationshipTypeDef>();
  for (const r of data.relationships) {
    const at = `relationships.${r.type}`;
    if (relationships.has(r.type)) fail(at, `relationship type "${r.type}" is declared twice`);
    for (const end of ['from', 'to'] as const) {
      for (const cls of r[end]) {
        const ok = rawByName.has(cls) || (end === 'to' && cls === TEAM);
        if (!ok) fail(`${at}.${end}`, `relationship ${r.type} names unknown class "${cls}" in "${end}"`);
      }
    }
    relationships.set(r.type, Object.freeze({
      type: r.type, description: r.description, impacting: r.impacting, redundancyFromSource: r.redundancyFromSource,
      from: Object.freeze([...r.from]), to: Object.freeze([...r.to]),
    }));
  }
  if (!relationships.has(data.ownership.relationship)) {
    fail('ownership.relationship', `unknown relationship type "${data.ownership.relationship}"`);
  }
  if (data.ownership.to !== TEAM) fail('ownership.to', `ownership must point to "${TEAM}"`);

  // Classes: attributes (no redeclaration along a path), family, identification.
  const classes = new Map<string, ClassDef>();
  const inheritedNames = (name: string): Set<string> => {
    const out = new Set(commonNames);
    for (const anc of paths.get(name)!.slice(0, -1)) for (const a of rawByName.get(anc)!.attributes) out.add(a.name);
    return out;
  };
  for (const c of data.classes) {
    const at = `classes.${c.name}`;
    checkAttributes(c.attributes, `${at}.attributes`);
    const inherited = inheritedNames(c.name);
    for (const a of c.attributes) {
      if (inherited.has(a.name)) {
        fail(`${at}.attributes.${a.name}`, `class "${c.name}" redeclares attribute "${a.name}" that it already has (common or inherited)`);
      }
    }
    const all = new Set([...inherited, ...c.attributes.map((a) => a.name)]);
    const identification = c.identification?.map((rule, i): IdentificationRule => {
      const ruleAt = `${at}.identification[${i}]`;
      if (new Set(rule.attributes).size !== rule.attributes.length) fail(ruleAt, `class "${c.name}" repeats an attribute in a rule`);
      for (const attr of rule.attributes) {
        if (!all.has(attr)) fail(ruleAt, `class "${c.name}" identifies by attribute "${attr}" that it does not have`);
      }
      const out: IdentificationRule = { attributes: Object.freeze([...rule.attributes]), declaredBy: c.name };
      if (rule.scope) {
        if (!relationships.has(rule.scope.relationship)) {
          fail(`${ruleAt}.scope.relationship`, `class "${c.name}" scopes identification by unknown relationship "${rule.scope.relationship}"`);
        }
        if (!rawByName.has(rule.scope.parentClass)) {
          fail(`${ruleAt}.scope.parentClass`, `class "${c.name}" scopes identification by unknown class "${rule.scope.parentClass}"`);
        }
        out.scope = Object.freeze({ ...rule.scope });
      }
      return Object.freeze(out);
    });
    if (identification && identification.length === 0) fail(`${at}.identification`, `class "${c.name}" declares an empty identification list`);
    let family: Family | undefined;
    for (const anc of [...paths.get(c.name)!].reverse()) {
      family = rawByName.get(anc)!.family;
      if (family) break;
    }
    if (family === undefined && c.name !== root) fail(`${at}.family`, `class "${c.name}" has no family (own or inherited)`);
    classes.set(c.name, Object.freeze({
      name: c.name,
      parent: c.parent ?? null,
      abstract: c.abstract,
      description: c.description,
      family,
      attributes: Object.freeze(c.attributes.map((a) => toAttributeDef(a, c.name))),
      identification: identification ? Object.freeze(identification) : undefined,
    }));
  }

  const model = new ClassModelImpl(root, classes, paths, common, relationships,
    freezeTeams(data.teams), Object.freeze({ ...data.ownership }), freezePrecedence(data.precedence));

  for (const c of classes.values()) {
    if (model.identificationRules(c.name).length === 0) {
      fail(`classes.${c.name}.identification`, `class "${c.name}" has no identification rule (own or inherited)`);
    }
  }
  const defaults = data.precedence.default;
  if (new Set(defaults).size !== defaults.length) fail('precedence.default', 'a source is listed twice');
  data.precedence.overrides.forEach((o, i) => {
    const at = `precedence.overrides[${i}]`;
    if (!classes.has(o.class)) fail(`${at}.class`, `precedence override names unknown class "${o.class}"`);
    if (o.attribute !== undefined && !model.attribute(o.class, o.attribute)) {
      fail(`${at}.attribute`, `precedence override names attribute "${o.attribute}" that class "${o.class}" does not have`);
    }
    if (new Set(o.sources).size !== o.sources.length) fail(`${at}.sources`, 'a source is listed twice');
  });
  return model;
}

function freezeTeams(t: { description: string; attributes: RawAttribute[] }): TeamDef {
  checkAttributes(t.attributes, 'teams.attributes');
  return Object.freeze({ description: t.description, attributes: Object.freeze(t.attributes.map((a) => toAttributeDef(a, TEAM))) });
}

function freezePrecedence(p: { default: string[]; overrides: { class: string; attribute?: string | undefined; sources: string[] }[] }): PrecedenceDef {
  return Object.freeze({
    default: Object.freeze([...p.default]),
    overrides: Object.freeze(p.overrides.map((o) => Object.freeze({
      class: o.class, sources: Object.freeze([...o.sources]), ...(o.attribute !== undefined ? { attribute: o.attribute } : {}),
    }))),
  });
}

class ClassModelImpl implements ClassModel {
  private readonly children = new Map<string, string[]>();

  constructor(
    readonly root: string,
    readonly classes: ReadonlyMap<string, ClassDef>,
    private readonly paths: ReadonlyMap<string, readonly string[]>,
    readonly commonAttributes: readonly AttributeDef[],
    readonly relationshipTypes: ReadonlyMap<string, RelationshipTypeDef>,
    readonly teams: TeamDef,
    readonly ownership: OwnershipDef,
    readonly precedenceRules: PrecedenceDef,
  ) {
    for (const c of classes.values()) this.children.set(c.name, []);
    for (const c of classes.values()) if (c.parent !== null) this.children.get(c.parent)!.push(c.name);
  }

  private path(name: string): readonly string[] {
    const p = this.paths.get(name);
    if (!p) throw new ClassModelError('UNKNOWN_CLASS', `Unknown CI class "${name}"`, 'class');
    return p;
  }

  get(name: string): ClassDef | undefined { return this.classes.get(name); }
  has(name: string): boolean { return this.classes.has(name); }
  labelsFor(name: string): string[] { return [...this.path(name)]; }
  ancestors(name: string): string[] { return this.path(name).slice(0, -1); }

  descendants(name: string, includeSelf = false): string[] {
    this.path(name);
    const out: string[] = [];
    const visit = (n: string): void => {
      for (const child of this.children.get(n)!) { out.push(child); visit(child); }
    };
    if (includeSelf) out.push(name);
    visit(name);
    return out;
  }

  isA(name: string, ancestorName: string): boolean {
    return this.paths.get(name)?.includes(ancestorName) ?? false;
  }

  serviceKind(name: string): ServiceKind | undefined {
    return this.isA(name, 'BusinessService') ? 'business' : this.isA(name, 'ApplicationService') ? 'application' : this.isA(name, 'TechnicalService') ? 'technical' : undefined;
  }

  attributesOf(name: string): AttributeDef[] {
    return [...this.commonAttributes, ...this.classAttributesOf(name)];
  }

  classAttributesOf(name: string): AttributeDef[] {
    return this.path(name).flatMap((n) => this.classes.get(n)!.attributes);
  }

  attribute(name: string, attr: string): AttributeDef | undefined {
    return this.attributesOf(name).find((a) => a.name === attr);
  }

  identificationRules(name: string): IdentificationRule[] {
    for (const n of [...this.path(name)].reverse()) {
      const own = this.classes.get(n)!.identification;
      if (own) return [...own];
    }
    return [];
  }

  concreteClasses(): string[] {
    return [...this.classes.values()].filter((c) => !c.abstract).map((c) => c.name);
  }

  relationship(type: string): RelationshipTypeDef | undefined { return this.relationshipTypes.get(type); }

  impactingTypes(): string[] {
    return [...this.relationshipTypes.values()].filter((r) => r.impacting).map((r) => r.type);
  }

  private rules: ImpactRules | undefined;

  impactRules(): ImpactRules {
    const impacting = this.impactingTypes();
    this.rules ??= Object.freeze({
      impacting: new Set(impacting),
      membership: new Set(impacting.filter((t) => this.relationshipTypes.get(t)!.redundancyFromSource)),
    });
    return this.rules;
  }

  allowsRelationship(type: string, fromClass: string, toClass: string): boolean {
    const r = this.relationshipTypes.get(type);
    if (!r) return false;
    const admits = (ends: readonly string[], cls: string): boolean =>
      ends.some((e) => (e === TEAM ? cls === TEAM : this.isA(cls, e)));
    return admits(r.from, fromClass) && admits(r.to, toClass);
  }

  family(name: string): Family | undefined {
    this.path(name);
    return this.classes.get(name)!.family;
  }

  precedence(className: string, attribute: string): string[] {
    const overrides = this.precedenceRules.overrides;
    let lead: readonly string[] | undefined;
    for (const n of [...this.path(className)].reverse()) {
      lead = overrides.find((o) => o.class === n && o.attribute === attribute)?.sources
        ?? overrides.find((o) => o.class === n && o.attribute === undefined)?.sources;
      if (lead) break;
    }
    if (!lead) return [...this.precedenceRules.default];
    return [...lead, ...this.precedenceRules.default.filter((s) => !lead.includes(s))];
  }
}
