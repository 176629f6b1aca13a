// Owns the GraphQL shape of a record's timeline (changes, incidents, problems): one entry per step.
import type { RecordEvent } from '../../neo4j/repositories/record-repository';
import type { Builder } from '../builder';

export function addRecordTypes(builder: Builder) {
  const RecordEvent = builder.objectRef<RecordEvent>('RecordEvent').implement({
    description: 'One step of a change, incident or problem: who did what, when, with their note.',
    fields: (t) => ({
      at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
      actor: t.exposeString('actor'),
      action: t.exposeString('action', { description: 'CREATED, ASSESSED, EDITED, SUBMITTED, APPROVAL, APPROVED, RESOLVED, KNOWN_ERROR, INCIDENT_MOVED, ...' }),
      fromStatus: t.exposeString('fromStatus', { nullable: true }),
      toStatus: t.exposeString('toStatus', { nullable: true }),
      note: t.exposeString('note', { nullable: true }),
      warnings: t.exposeStringList('warnings', { description: 'What the step went ahead despite, e.g. a freeze the window falls in.' }),
      detail: t.field({
        type: 'JSON',
        nullable: true,
        description: "What the step changed: an edit's before, after and assessment diff; an approval's team; an early-start reason.",
        resolve: (e) => (e.detail ? (JSON.parse(e.detail) as unknown) : null),
      }),
    }),
  });
  return { RecordEvent };
}

export type RecordTypes = ReturnType<typeof addRecordTypes>;
