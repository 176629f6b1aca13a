// Types of the CI class model (schema/classes.yaml) as the rest of Ripple sees it once loaded and checked.

export const ATTRIBUTE_TYPES = [
  'string', 'int', 'float', 'boolean', 'datetime', 'enum', 'stringList', 'redundancy', 'ip', 'url', 'endpoint',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const FAMILIES = [
  'hardware', 'virtual', 'kubernetes', 'data', 'software', 'cloud', 'network', 'grouping', 'service',
] as const;
/** Broad kind of a class; the web view picks node shapes by it. */
export type Family = (typeof FAMILIES)[number];

export interface AttributeDef {
  name: string;
  type: AttributeType;
  /** Allowed values, only for `enum`. */
  values?: readonly string[];
  required: boolean;
  /** Minted/maintained by Ripple (id, class, timestamps): writers may not set it. */
  readOnly: boolean;
  /** Inclusive bounds for `int` / `float`. */
  min?: number;
  max?: number;
  description: string;
  /** The class that declares it, or `null` for a common attribute. */
  declaredBy: string | null;
}

export interface IdentificationScope {
  /** Relationship from the dependent CI to its parent, e.g. RUNS_ON. */
  relationship: string;
  /** Class of the parent (the parent may be of that class or any descendant). */
  parentClass: string;
}

export interface IdentificationRule {
  /** Attributes that must all be present on an item for the rule to apply; together they identify it. */
  attributes: readonly string[];
  /** Present for dependent CIs: unique only within their parent. */
  scope?: IdentificationScope;
  /** Class that declares the rule (its label is the natural uniqueness domain). */
  declaredBy: string;
}

export interface ClassDef {
  name: string;
  /** `null` only for the root. */
  parent: string | null;
  abstract: boolean;
  description: string;
  /** Own or inherited family; `undefined` only for the root. */
  family: Family | undefined;
  /** Attributes declared by this class only (see ClassModel.attributesOf for the full set). */
  attributes: readonly AttributeDef[];
  /** Rules declared by this class only; `undefined` when inherited (see ClassModel.identificationRules). */
  identification: readonly IdentificationRule[] | undefined;
}

export interface RelationshipTypeDef {
  type: string;
  description: string;
  /** Whether a failure of the `to` end impacts the `from` end. */
  impacting: boolean;
  /** The `from` end (a group) needs its `to` ends through its `redundancy` attribute (HAS_MEMBER). */
  redundancyFromSource: boolean;
  /** Allowed classes at each end (each admits its descendants); `Team` is the team entity. */
  from: readonly string[];
  to: readonly string[];
}

export interface TeamDef {
  description: string;
  attributes: readonly AttributeDef[];
}

export interface OwnershipDef {
  relationship: string;
  to: string;
  description: string;
}

export interface PrecedenceOverride {
  class: string;
  attribute?: string;
  sources: readonly string[];
}

export interface PrecedenceDef {
  default: readonly string[];
  overrides: readonly PrecedenceOverride[];
}

export type Redundancy =
  | { kind: 'all' }
  | { kind: 'any' }
  | { kind: 'atLeast'; k: number }
  | { kind: 'percent'; p: number };

export type AttributeValue = string | number | boolean | string[] | null;

/** The loaded, checked class model. Methods taking a class name throw ClassModelError for an unknown class. */
/** CSDM's kinds of service, by the class a service CI has. */
export type ServiceKind = 'business' | 'application' | 'technical';

export interface ClassModel {
  readonly root: string;
  readonly classes: ReadonlyMap<string, ClassDef>;
  readonly commonAttributes: readonly AttributeDef[];
  readonly relationshipTypes: ReadonlyMap<string, RelationshipTypeDef>;
  readonly teams: TeamDef;
  readonly ownership: OwnershipDef;
  readonly precedenceRules: PrecedenceDef;

  get(name: string): ClassDef | undefined;
  has(name: string): boolean;
  /** Path from the root to the class, inclusive: the Neo4j labels of its nodes. */
  labelsFor(name: string): string[];
  /** Strict ancestors, root first. */
  ancestors(name: string): string[];
  /** Descendants depth-first in declaration order. */
  descendants(name: string, includeSelf?: boolean): string[];
  /** True when `name` is `ancestorName` or below it; false for unknown names. */
  isA(name: string, ancestorName: string): boolean;
  /** The kind of service a class is (below BusinessService, ApplicationService or TechnicalService); undefined otherwise. */
  serviceKind(name: string): ServiceKind | undefined;
  /** Common attributes, then inherited and own class attributes, root first. */
  attributesOf(name: string): AttributeDef[];
  /** Inherited and own class attributes (no common ones), root first. */
  classAttributesOf(name: string): AttributeDef[];
  attribute(name: string, attr: string): AttributeDef | undefined;
  /** Own rules, else the nearest ancestor's, in order of preference. */
  identificationRules(name: string): IdentificationRule[];
  concreteClasses(): string[];
  relationship(type: string): RelationshipTypeDef | undefined;
  impactingTypes(): string[];
  /** What impacts what: the one definition that the walk in Neo4j and propagation in TypeScript both read. */
  impactRules(): ImpactRules;
  allowsRelationship(type: string, fromClass: string, toClass: string): boolean;
  family(name: string): Family | undefined;
  /** Sources, highest precedence first, for this class's attribute. */
  precedence(className: string, attribute: string): string[];
}

/**
 * Relationship types along which failure travels (`impacting: true` in classes.yaml), and among them those that
 * go from a group to its members and are judged by the group's redundancy rule (`redundancyFromSource`).
 */
export interface ImpactRules {
  readonly impacting: ReadonlySet<string>;
  readonly membership: ReadonlySet<string>;
}
