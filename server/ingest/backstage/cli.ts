// Owns the `backstage` importer command: read catalog folders / Location files, map them, print what could not
// be mapped (grouped by kind of problem), then send the batch to Ripple as source `backstage`.
//   node --import tsx server/ingest/backstage/cli.ts <folder or location file>... [--url ...] [--dry-run]
import { Option } from 'commander';
import { loadClassModel } from '../../domain/class-model/load-class-model';
import { ingestCommand, runIngest, runWhenMain, type IngestOptions } from '../cli-common';
import { readCatalog, type CatalogWarning, type WarningCategory } from './catalog';
import { entitiesToBatch } from './to-batch';

const HEADINGS: Record<WarningCategory, string> = {
  unresolved: 'Unresolved references (not sent)',
  duplicate: 'Duplicate entities (first definition kept)',
  skipped: 'Skipped kinds',
  invalid: 'Invalid entities and references',
  owner: 'Owners that are not teams',
  ignored: 'Ignored fields',
  unmapped: 'Unmapped values',
  'non-entity': 'Non-entity YAML',
  'parse-error': 'YAML errors',
  location: 'Location targets not followed',
};

function counts(m: Record<string, number>): string {
  const parts = Object.entries(m).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

export function formatWarnings(warnings: readonly CatalogWarning[]): string {
  let out = '';
  for (const cat of Object.keys(HEADINGS) as WarningCategory[]) {
    const ws = warnings.filter((w) => w.category === cat);
    if (!ws.length) continue;
    out += `${HEADINGS[cat]} (${ws.length}):\n`;
    for (const w of ws) {
      const who = [w.entity, w.field].filter(Boolean).join(' ');
      out += `  ${who ? `${who}: ` : ''}${w.message}${w.file && !w.message.includes(w.file) ? ` [${w.file}]` : ''}\n`;
    }
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const cmd = ingestCommand('ripple-ingest-backstage', 'Import a Backstage software catalog (folders or Location files) into Ripple')
    .argument('<paths...>', 'catalog folders (every *.yaml/*.yml below) or Location / entity files')
    .addOption(new Option('--name-prefix <prefix>', 'for trials and tests: prefixes every CI and team name (and catalog ref)'));
  cmd.parse(argv);
  const opts = cmd.opts<IngestOptions & { namePrefix?: string }>();
  const paths = cmd.args;

  const catalog = readCatalog(paths);
  const mapped = entitiesToBatch(catalog.entities, { model: loadClassModel(), ...(opts.namePrefix ? { namePrefix: opts.namePrefix } : {}) });
  const s = mapped.stats;
  process.stdout.write(
    `Backstage catalog: ${catalog.files.length} files, ${catalog.entities.length} entities (${counts(s.read)})\n` +
      `  imported: ${counts(s.imported)}; not imported by design: ${counts(s.ignored)}; skipped: ${counts(s.skipped)}\n` +
      `  as: ${mapped.batch.teams.length} teams, ${counts(s.classes)}\n` +
      `  DEPENDS_ON: ${mapped.batch.relationships.length} (${counts(s.relationships)})\n`,
  );
  const warnings = [...catalog.warnings, ...mapped.warnings];
  if (warnings.length) process.stdout.write(formatWarnings(warnings));
  const { code } = await runIngest(opts, mapped.batch, 'backstage');
  return code;
}

runWhenMain(import.meta.url, 'backstage', main);
