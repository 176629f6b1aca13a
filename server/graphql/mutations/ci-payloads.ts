// Owns the shapes of people's CI mutations: the payloads they return and the inputs they take.
import type { CiRow, EdgeRow, TeamRow } from '../../neo4j/repositories/rows';
import type { Builder } from '../builder';
import type { Common } from '../common';
import type { CiTypes } from '../ci';

export function addCiMutationTypes(builder: Builder, common: Common, types: CiTypes) {
  const { Environment, Lifecycle, RelationshipType } = common;
  const { CI, Team, Relationship } = types;

  const EditWarning = builder.objectRef<{ field: string; reason: string }>('EditWarning').implement({
    description: 'Something the edit was applied despite, such as a discovery source that will replace the value.',
    fields: (t) => ({ field: t.exposeString('field'), reason: t.exposeString('reason') }),
  });
  const CiPayload = builder.objectRef<{ ci: CiRow; changedFields?: string[]; warnings?: { field: string; reason: string }[] }>('CiPayload').implement({
    fields: (t) => ({
      ci: t.field({ type: CI, resolve: (p) => p.ci }),
      changedFields: t.stringList({ description: 'Fields this mutation changed (empty when nothing did).', resolve: (p) => p.changedFields ?? [] }),
      warnings: t.field({
        type: [EditWarning],
        description: 'Fields changed whose value came from a source that outranks people for them (class model precedence): its next report replaces them.',
        resolve: (p) => p.warnings ?? [],
      }),
    }),
  });
  const RelationshipPayload = builder.objectRef<{ relationship: EdgeRow; created: boolean }>('RelationshipPayload').implement({
    fields: (t) => ({
      relationship: t.field({ type: Relationship, resolve: (p) => p.relationship }),
      created: t.exposeBoolean('created', { description: 'False when it already existed.' }),
    }),
  });
  const UnrelatePayload = builder.objectRef<{ fromId: string; toId: string; type: string }>('UnrelatePayload').implement({
    fields: (t) => ({
      fromId: t.exposeID('fromId'),
      toId: t.exposeID('toId'),
      type: t.field({ type: RelationshipType, resolve: (p) => p.type as never }),
    }),
  });
  const TeamPayload = builder.objectRef<{ team: TeamRow }>('TeamPayload').implement({
    fields: (t) => ({ team: t.field({ type: Team, resolve: (p) => p.team }) }),
  });

  const CreateCiInput = builder.inputType('CreateCiInput', {
    fields: (t) => ({
      className: t.string({ required: true, description: 'A concrete class of the class model, e.g. LinuxServer.' }),
      name: t.string({ required: true }),
      environment: t.field({ type: Environment }),
      lifecycle: t.field({ type: Lifecycle }),
      criticality: t.int(),
      description: t.string(),
      ownerTeamId: t.id(),
      parentId: t.id({ description: 'For classes identified within a parent (e.g. a KubernetesWorkload in its cluster).' }),
      attributes: t.field({ type: 'JSON', description: 'Class attributes by name, typed by the class model.' }),
    }),
  });
  const UpdateCiInput = builder.inputType('UpdateCiInput', {
    fields: (t) => ({
      id: t.id({ required: true }),
      name: t.string(),
      environment: t.field({ type: Environment }),
      lifecycle: t.field({ type: Lifecycle }),
      criticality: t.int(),
      description: t.string(),
      attributes: t.field({ type: 'JSON', description: 'Attributes to change; null removes one.' }),
    }),
  });
  const RelateInput = builder.inputType('RelateCisInput', {
    fields: (t) => ({
      fromId: t.id({ required: true, description: 'The CI that needs the other.' }),
      toId: t.id({ required: true }),
      type: t.field({ type: RelationshipType, required: true }),
    }),
  });

  return { CiPayload, RelationshipPayload, UnrelatePayload, TeamPayload, CreateCiInput, UpdateCiInput, RelateInput };
}
