// Reads schema/classes.yaml from disk and hands it to parseClassModel (the only I/O of the class model).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ClassModelError, parseClassModel } from './class-model';
import type { ClassModel } from './types';

export const DEFAULT_CLASS_MODEL_PATH = new URL('../../../schema/classes.yaml', import.meta.url);

/** Loads and checks the class model; throws ClassModelError naming the file and the offending class/field. */
export function loadClassModel(path: string | URL = DEFAULT_CLASS_MODEL_PATH): ClassModel {
  const text = readFileSync(path, 'utf8');
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (err) {
    throw new ClassModelError('INVALID_CLASS_MODEL', `${String(path)}: ${(err as Error).message}`);
  }
  try {
    return parseClassModel(raw);
  } catch (err) {
    if (err instanceof ClassModelError) throw new ClassModelError(err.code, `${String(path)}: ${err.message}`, err.field);
    throw err;
  }
}
