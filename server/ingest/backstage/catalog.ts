// Owns reading a Backstage software catalog from disk: folders (every *.yaml/*.yml below them) and Location files
// (their `spec.target`/`spec.targets` followed recursively), multi-document YAML, each entity with the file it came
// from. Nothing is fetched: URL targets are reported. Bad YAML and YAML that is not an entity become warnings.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type WarningCategory =
  | 'unresolved' // a relation names an entity the import does not have
  | 'duplicate' // the same kind:namespace/name defined twice
  | 'skipped' // a kind Ripple does not map (AiResource, Template, ...)
  | 'invalid' // an entity Backstage itself would refuse (bad name, missing metadata.name)
  | 'owner' // an owner Ripple cannot turn into a team (a user)
  | 'ignored' // a field that is not a Backstage relation field (apiConsumedBy, implementsApis)
  | 'unmapped' // a value with no Ripple equivalent (an unknown lifecycle)
  | 'non-entity' // YAML without apiVersion/kind (an OpenAPI document, ...)
  | 'parse-error' // YAML that does not parse, or a file that cannot be read
  | 'location'; // a Location target that is a URL (not fetched) or does not exist

export interface CatalogWarning {
  category: WarningCategory;
  message: string;
  /** File the warning is about, relative to the working directory when below it. */
  file?: string;
  /** Entity ref (kind:namespace/name) the warning is about. */
  entity?: string;
  /** Field of that entity, e.g. spec.owner. */
  field?: string;
}

export interface CatalogEntity {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name?: unknown; namespace?: unknown; title?: unknown; description?: unknown };
  spec: Record<string, unknown>;
  /** Where it was defined: display path and 0-based document index in that file. */
  file: string;
  document: number;
}

export interface Catalog {
  entities: CatalogEntity[];
  /** Files read, in reading order (display paths). */
  files: string[];
  /** Relative files named by entities' `$text`/`$yaml`/`$json` placeholders (API definitions): not read. */
  definitionFiles: string[];
  warnings: CatalogWarning[];
}

const YAML_FILE = /\.ya?ml$/i;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && YAML_FILE.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

interface ParsedFile {
  docs: { index: number; value: unknown }[];
  errors: string[];
}

function locationTargets(value: Record<string, unknown>): string[] {
  const spec = isRecord(value.spec) ? value.spec : {};
  const out: string[] = [];
  if (typeof spec.target === 'string') out.push(spec.target);
  if (Array.isArray(spec.targets)) for (const t of spec.targets) if (typeof t === 'string') out.push(t);
  return out;
}

/** Relative files named by `$text`/`$yaml`/`$json` placeholders (API definitions kept beside the entity). */
function placeholderFiles(value: unknown, baseDir: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) placeholderFiles(v, baseDir, into);
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && ['$text', '$yaml', '$json'].includes(keys[0]!)) {
    const target = value[keys[0]!];
    if (typeof target === 'string' && !URL_LIKE.test(target)) into.add(resolve(baseDir, target));
    return;
  }
  for (const v of Object.values(value)) placeholderFiles(v, baseDir, into);
}

/**
 * Reads the catalog from folders and files, in the order given. A Location's targets are read where the Location
 * is met, so definitions reached through Locations come first; in a folder, the files that no Location of that
 * folder targets are the roots (Backstage registers only what Locations reach, so they win a duplicate over stray
 * copies), and the remaining files follow in path order.
 */
export function readCatalog(paths: readonly string[]): Catalog {
  const catalog: Catalog = { entities: [], files: [], definitionFiles: [], warnings: [] };
  const parsed = new Map<string, ParsedFile>();
  const visited = new Set<string>();
  const definitions = new Set<string>();
  const nonEntities: { path: string; document: number; reason: string }[] = [];

  const parse = (path: string): ParsedFile => {
    const cached = parsed.get(path);
    if (cached) return cached;
    const result: ParsedFile = { docs: [], errors: [] };
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      result.errors.push(`cannot read: ${(e as Error).message}`);
      parsed.set(path, result);
      return result;
    }
    const docs = parseAllDocuments(text, { prettyErrors: true });
    const list = Array.isArray(docs) ? docs : [];
    list.forEach((doc, index) => {
      if (doc.errors.length) {
        result.errors.push(`document ${index + 1}: ${doc.errors[0]!.message.split('\n')[0]}`);
        return;
      }
      try {
        result.docs.push({ index, value: doc.toJS({ maxAliasCount: 1000 }) });
      } catch (e) {
        result.errors.push(`document ${index + 1}: ${(e as Error).message}`);
      }
    });
    parsed.set(path, result);
    return result;
  };

  const readFile = (path: string): void => {
    if (visited.has(path)) return;
    visited.add(path);
    const file = display(path);
    catalog.files.push(file);
    const p = parse(path);
    for (const err of p.errors) catalog.warnings.push({ category: 'parse-error', file, message: err });
    for (const { index, value } of p.docs) {
      if (value === null || value === undefined) continue; // an empty document (a trailing ---)
      if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
        nonEntities.push({ path, document: index, reason: isRecord(value) ? 'no apiVersion/kind' : 'not a mapping' });
        continue;
      }
      placeholderFiles(value.spec, dirname(path), definitions);
      catalog.entities.push({
        apiVersion: value.apiVersion,
        kind: value.kind,
        metadata: isRecord(value.metadata) ? value.metadata : {},
        spec: isRecord(value.spec) ? value.spec : {},
        file,
        document: index,
      });
      if (value.kind.toLowerCase() === 'location') {
        for (const target of locationTargets(value)) followTarget(target, path, file);
      }
    }
  };

  const followTarget = (target: string, from: string, fromDisplay: string): void => {
    if (URL_LIKE.test(target)) {
      catalog.warnings.push({ category: 'location', file: fromDisplay, message: `target ${target} is a URL: not fetched` });
      return;
    }
    if (/[*?[\]{}]/.test(target)) {
      catalog.warnings.push({ category: 'location', file: fromDisplay, message: `target ${target} is a glob: not supported, pass the folder instead` });
      return;
    }
    const abs = resolve(dirname(from), target);
    if (!existsSync(abs)) {
      catalog.warnings.push({ category: 'location', file: fromDisplay, message: `target ${target} does not exist (${display(abs)})` });
      return;
    }
    if (statSync(abs).isDirectory()) readFolder(abs);
    else readFile(abs);
  };

  const readFolder = (dir: string): void => {
    const files = yamlFilesUnder(dir);
    const targeted = new Set<string>();
    for (const f of files) {
      for (const { value } of parse(f).docs) {
        if (isRecord(value) && typeof value.kind === 'string' && value.kind.toLowerCase() === 'location') {
          for (const t of locationTargets(value)) if (!URL_LIKE.test(t)) targeted.add(resolve(dirname(f), t));
        }
      }
    }
    const hasLocation = (f: string) =>
      parse(f).docs.some(({ value }) => isRecord(value) && typeof value.kind === 'string' && value.kind.toLowerCase() === 'location');
    for (const f of files) if (hasLocation(f) && !targeted.has(f)) readFile(f);
    for (const f of files) readFile(f);
  };

  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) {
      catalog.warnings.push({ category: 'location', file: p, message: `${p} does not exist` });
      continue;
    }
    if (statSync(abs).isDirectory()) readFolder(abs);
    else readFile(abs);
  }

  catalog.definitionFiles = [...definitions].map(display);
  // Reported last: a definition file named by an API's `$text` is not a stray non-entity.
  for (const n of nonEntities) {
    if (definitions.has(n.path)) continue;
    catalog.warnings.push({
      category: 'non-entity',
      file: display(n.path),
      message: `document ${n.document + 1} is not a catalog entity (${n.reason}), e.g. an API definition: ignored`,
    });
  }
  return catalog;
}
