// Owns the CI read API: the CI interface, one GraphQL type per class of the class model (abstract classes as
// interfaces), teams, relationships, traversal subgraphs and dependency paths, and the queries over them.
// Each part lives in ci/, one type family per file; this function wires them in order.
import type { ClassModel } from '../domain/class-model/types';
import type { CiRow, EdgeRow, TeamRow } from '../neo4j/repositories/rows';
import type { Builder } from './builder';
import { addClassModelTypes } from './ci/class-model';
import { addClassTypes } from './ci/class-types';
import { implementCi } from './ci/ci-interface';
import { addConnectionTypes } from './ci/connection';
import { addHistoryTypes } from './ci/history';
import { addCiQueries } from './ci/queries';
import { addSubgraphTypes } from './ci/subgraph';
import { implementTeam } from './ci/team';
import type { Common } from './common';

export function addCiTypes(builder: Builder, model: ClassModel, common: Common) {
  const CI = builder.interfaceRef<CiRow>('CI');
  const Team = builder.objectRef<TeamRow>('Team');
  const Relationship = builder.objectRef<EdgeRow>('Relationship');

  const history = addHistoryTypes(builder);
  const subgraphs = addSubgraphTypes(builder, model, common, CI);
  implementCi(builder, model, common, { CI, Team, Relationship }, history, subgraphs);
  addClassTypes(builder, model, common, CI);
  const lists = addConnectionTypes(builder, model, common, CI);
  implementTeam(common, Team, lists);
  const classModel = addClassModelTypes(builder, model);
  addCiQueries(builder, model, common, { CI, Team }, lists, subgraphs, classModel);

  return { CI, Team, Relationship, CiConnection: lists.CiConnection };
}

export type CiTypes = ReturnType<typeof addCiTypes>;
