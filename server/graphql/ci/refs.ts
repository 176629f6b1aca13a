// Owns the types of the CI family's shared refs, so each file of the family can take the ones it builds on.
import type { ImplementableInterfaceRef, ImplementableObjectRef } from '@pothos/core';
import type { CiRow, EdgeRow, TeamRow } from '../../neo4j/repositories/rows';
import type { BuilderTypes } from '../builder';

export type Types = PothosSchemaTypes.ExtendDefaultTypes<BuilderTypes>;
export type CiRef = ImplementableInterfaceRef<Types, CiRow>;
export type TeamRef = ImplementableObjectRef<Types, TeamRow>;
export type RelationshipRef = ImplementableObjectRef<Types, EdgeRow>;
