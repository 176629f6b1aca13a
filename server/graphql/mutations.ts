// Owns the write API: people's mutations on CIs, relationships, owners and teams, and the bulk upsert that
// discovery scripts (and the demo seed) use. Each resolver only maps arguments onto the command services.
// Each part lives in mutations/, one type family per file; this function wires them in order.
import type { ClassModel } from '../domain/class-model/types';
import type { Builder } from './builder';
import type { CiTypes } from './ci';
import type { Common } from './common';
import { addCiMutations } from './mutations/ci-mutations';
import { addCiMutationTypes } from './mutations/ci-payloads';
import { addUpsert } from './mutations/upsert';

export function addMutations(builder: Builder, model: ClassModel, common: Common, types: CiTypes) {
  addCiMutations(builder, addCiMutationTypes(builder, common, types));
  addUpsert(builder, model, common);
}
