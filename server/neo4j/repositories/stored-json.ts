// Owns the shapes of the JSON text the repositories store on nodes (history entries' field changes, a standard
// change model's template fields) and reads them back through parseStored, so a value altered outside Ripple is
// a typed CORRUPT_RECORD naming the node instead of a cast that lets it travel on.
import { z } from 'zod';
import type { StandardChangeModel } from '../../domain/change/standard-model';
import type { AttributeValue } from '../../domain/class-model/types';
import { parseStored } from '../../domain/stored-json';
import type { FieldChange } from './ci-writes';

const attributeValue: z.ZodType<AttributeValue> = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
const fieldChanges: z.ZodType<FieldChange[]> = z.array(z.object({ field: z.string(), before: attributeValue, after: attributeValue }));
const templateFields: z.ZodType<StandardChangeModel['templateFields']> = z.array(z.object({ name: z.string(), defaultValue: z.string().nullable() }));

/** `historyId` names the entry in the error. */
export function readFieldChanges(text: string, historyId: string): FieldChange[] {
  return parseStored(fieldChanges, text, `history entry ${historyId}`);
}

export function readTemplateFields(text: string, modelName: string): StandardChangeModel['templateFields'] {
  return parseStored(templateFields, text, `template fields of standard change model ${modelName}`);
}
