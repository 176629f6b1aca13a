// Owns what every discovery CLI shares: the common options (--url, --token, --dry-run, --batch-size), sending
// with a progress bar, and the summary a person reads afterwards (counts, then each rejected item and why).
import cliProgress from 'cli-progress';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import type { UpsertBatchInput } from '../services/upsert-batch';
import { IngestError, sendBatch, type SendResult } from './send';

export interface IngestOptions {
  url: string;
  token?: string;
  dryRun?: boolean;
  batchSize: string;
  quiet?: boolean;
}

export function ingestCommand(name: string, description: string): Command {
  return new Command()
    .name(name)
    .description(description)
    .addOption(new Option('--url <url>', 'Ripple base URL').env('RIPPLE_URL').default('http://localhost:4000'))
    .addOption(new Option('--token <token>', 'API token sent as a Bearer token').env('RIPPLE_TOKEN'))
    .option('--dry-run', 'identify and reconcile, report what would change, write nothing')
    .option('--batch-size <n>', 'items per request', '1000')
    .option('--quiet', 'no progress bar');
}

/** Sends the batch and prints the outcome; returns the process exit code (0 also when items were rejected). */
export async function runIngest(
  opts: IngestOptions,
  batch: Omit<UpsertBatchInput, 'dryRun'>,
  label: string,
  out: NodeJS.WriteStream = process.stdout,
): Promise<{ code: number; result?: SendResult }> {
  const total = (batch.items?.length ?? 0) + (batch.relationships?.length ?? 0);
  const bar = new cliProgress.SingleBar(
    { format: `  ${label} {bar} {value}/{total} items and relationships`, hideCursor: true, noTTYOutput: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const showBar = !opts.quiet && process.stderr.isTTY;
  if (showBar) bar.start(total, 0);
  try {
    const result = await sendBatch({
      url: opts.url.replace(/\/+$/, ''),
      ...(opts.token ? { token: opts.token } : {}),
      batch: { ...batch, dryRun: opts.dryRun === true },
      batchSize: Number(opts.batchSize) || 1000,
      onProgress: (done) => showBar && bar.update(done),
    });
    if (showBar) bar.stop();
    const c = result.counts;
    const r = result.relationshipCounts;
    out.write(
      `${opts.dryRun ? 'DRY RUN (nothing written): ' : ''}${label} → ${opts.url}\n` +
        `  CIs:           ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected\n` +
        `  relationships: ${r.created} created, ${r.unchanged} unchanged, ${r.rejected} rejected\n`,
    );
    const rejected = result.items.filter((i) => i.status === 'REJECTED');
    for (const i of rejected.slice(0, 50)) {
      out.write(`  rejected ${i.ref ?? '(no ref)'}: ${i.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}\n`);
    }
    const badRels = result.relationships.filter((x) => x.status === 'REJECTED');
    for (const x of badRels.slice(0, 50)) {
      out.write(`  rejected ${x.type} ${JSON.stringify(x.from)} -> ${JSON.stringify(x.to)}: ${x.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')}\n`);
    }
    if (rejected.length + badRels.length > 100) out.write(`  ... and more rejected entries\n`);
    const warned = result.items.filter((i) => i.warnings.length);
    for (const i of warned.slice(0, 50)) {
      out.write(`  warning ${i.ref ?? '(no ref)'}: ${i.warnings.map((e) => `${e.field}: ${e.reason}`).join('; ')}\n`);
    }
    if (warned.length > 50) out.write(`  ... and ${warned.length - 50} more warnings\n`);
    return { code: 0, result };
  } catch (e) {
    if (showBar) bar.stop();
    if (e instanceof IngestError) {
      process.stderr.write(`${label}: ${e.message}\n`);
      return { code: 1 };
    }
    throw e;
  }
}

/** A titled list for the summary, e.g. "Not imported (2):" and one indented line each; nothing when empty. */
export function listSection(title: string, lines: readonly string[]): string {
  return lines.length ? `${title} (${lines.length}):\n${lines.map((l) => `  ${l}\n`).join('')}` : '';
}

/** Runs a CLI's main when its module is the script node was started with; a crash prints under its label. */
export function runWhenMain(moduleUrl: string, label: string, main: (argv: string[]) => Promise<number>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${label}: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
