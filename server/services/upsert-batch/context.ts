// Owns the state one discovery batch carries from stage to stage: the input, the transaction, what has been
// resolved so far (teams, refs, classes, identified ends) and the outcomes being built. Every stage reads and
// adds to this one object, so a stage's signature says only which batch it works on.
import type { AttributeValue, ClassModel } from '../../domain/class-model/types';
import type { Tx } from '../../neo4j/db';
import { ChangeSet, type WriteMeta } from '../../neo4j/repositories/ci-writes';
import type { EndRef, ItemOutcome, RelationshipOutcome, UpsertBatchInput, UpsertItem, UpsertRelationship } from './types';

/** An item that passed validation against its class, with what identifying it needs. */
export interface Prepared {
  index: number;
  item: UpsertItem;
  values: Record<string, AttributeValue>;
  scope: { relationship: string; parentClass: string } | undefined;
  parentRef: EndRef | undefined;
}

/** A relationship whose two ends were found, waiting for its class check and write. */
export interface RelWrite {
  from: string;
  to: string;
  type: string;
  index: number;
}

export interface BatchContext {
  readonly tx: Tx;
  readonly model: ClassModel;
  readonly input: UpsertBatchInput;
  readonly dry: boolean;
  readonly meta: WriteMeta;
  readonly items: UpsertItem[];
  readonly rels: UpsertRelationship[];
  /** Everything the batch does to one CI becomes one History entry, written at the end. */
  readonly changes: ChangeSet;
  readonly outcomes: ItemOutcome[];
  readonly relOutcomes: RelationshipOutcome[];
  /** Team ids by name: teams this batch sent, then existing teams its items name as owners. */
  readonly teamIds: Map<string, string>;
  /** The index of the item that carries each ref. */
  readonly refs: Map<string, number>;
  prepared: Prepared[];
  /** The CI id each ref stands for, once its item is identified. */
  readonly idOfRef: Map<string, string>;
  /** Ends named by id that exist, looked up once per batch. */
  readonly knownIds: Set<string>;
  /** The class of every CI this batch names or writes, for the relationship checks. */
  readonly classOf: Map<string, string>;
  /** The one CI each identification key names, for ends named by identification, looked up once per batch. */
  readonly identified: Map<string, string>;
  /** Items whose owner is compared and set after the items are written. */
  readonly ownerRows: { ciId: string; teamName: string; index: number }[];
  /** Relationships whose ends were all found; narrowed by the class check. */
  relWrites: RelWrite[];
}

export function newContext(tx: Tx, model: ClassModel, input: UpsertBatchInput, actor: string): BatchContext {
  const items = input.items ?? [];
  return {
    tx,
    model,
    input,
    dry: input.dryRun === true,
    meta: { actor, source: input.source, at: new Date().toISOString() },
    items,
    rels: input.relationships ?? [],
    changes: new ChangeSet(),
    outcomes: items.map((it, index) => ({
      index,
      ref: it.ref ?? null,
      id: null,
      status: 'UNCHANGED',
      changedFields: [],
      keptFields: [],
      errors: [],
      warnings: [],
    })),
    relOutcomes: [],
    teamIds: new Map(),
    refs: new Map(),
    prepared: [],
    idOfRef: new Map(),
    knownIds: new Set(),
    classOf: new Map(),
    identified: new Map(),
    ownerRows: [],
    relWrites: [],
  };
}

export function reject(ctx: BatchContext, index: number, field: string, reason: string): void {
  const out = ctx.outcomes[index]!;
  out.status = 'REJECTED';
  out.errors.push({ field, reason });
}
