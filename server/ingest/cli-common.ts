// Owns what every discovery CLI shares: the common options (--url, --token, --dry-run, --batch-size, --no-run),
// sending inside a discovery run with a progress bar, and the summary a person reads afterwards (counts, what
// the run marked, then each rejected item and why).
import cliProgress from 'cli-progress';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import type { UpsertBatchInput } from '../services/upsert-batch';
import { abandonRun, completeRun, startRun, type ImporterRun } from './run';
import { IngestError, sendBatch, type SendResult } from './send';

export interface IngestOptions {
  url: string;
  token?: string;
  dryRun?: boolean;
  batchSize: string;
  quiet?: boolean;
  /** false with --no-run: send without a discovery run, so nothing the source stopped reporting is marked. */
  run?: boolean;
}

/** What the importer covers of its source (a cluster, a host): its run marks only what runs of that scope saw. */
export interface RunScope {
  scope: string;
}

export function ingestCommand(name: string, description: string): Command {
  return new Command()
    .name(name)
    .description(description)
    .addOption(new Option('--url <url>', 'Ripple base URL').env('RIPPLE_URL').default('http://localhost:4000'))
    .addOption(new Option('--token <token>', 'API token sent as a Bearer token').env('RIPPLE_TOKEN'))
    .option('--dry-run', 'identify and reconcile, report what would change, write nothing')
    .option('--batch-size <n>', 'items per request', '1000')
    .option('--no-run', 'send outside a discovery run: what the source no longer reports is not marked stale or absent')
    .option('--quiet', 'no progress bar');
}

/**
 * Sends the batch inside a discovery run (unless --no-run or --dry-run) and prints the outcome; returns the
 * process exit code (0 also when items were rejected).
 */
export async function runIngest(
  opts: IngestOptions,
  batch: Omit<UpsertBatchInput, 'dryRun' | 'runId'>,
  label: string,
  scope: RunScope = { scope: '' },
  out: NodeJS.WriteStream = process.stdout,
): Promise<{ code: number; result?: SendResult }> {
  const target = { url: opts.url.replace(/\/+$/, ''), ...(opts.token ? { token: opts.token } : {}) };
  let run: ImporterRun | undefined;
  try {
    if (!opts.dryRun && opts.run !== false) run = await startRun(target, batch.source, scope.scope);
    const result = await sendWithBar(opts, { ...batch, ...(run ? { runId: run.id } : {}) }, label);
    const done = run ? await completeRun(target, run.id) : undefined;
    printSummary(opts, result, label, done, out);
    return { code: 0, result };
  } catch (e) {
    if (run) await abandonRun(target, run.id);
    if (e instanceof IngestError) {
      process.stderr.write(`${label}: ${e.message}${run ? ` (discovery run ${run.id} abandoned: nothing was marked)` : ''}\n`);
      return { code: 1 };
    }
    throw e;
  }
}

async function sendWithBar(opts: IngestOptions, batch: Omit<UpsertBatchInput, 'dryRun'>, label: string): Promise<SendResult> {
  const total = (batch.items?.length ?? 0) + (batch.relationships?.length ?? 0);
  const bar = new cliProgress.SingleBar(
    { format: `  ${label} {bar} {value}/{total} items and relationships`, hideCursor: true, noTTYOutput: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const showBar = !opts.quiet && process.stderr.isTTY;
  if (showBar) bar.start(total, 0);
  try {
    return await sendBatch({
      url: opts.url.replace(/\/+$/, ''),
      ...(opts.token ? { token: opts.token } : {}),
      batch: { ...batch, dryRun: opts.dryRun === true },
      batchSize: Number(opts.batchSize) || 1000,
      onProgress: (done) => showBar && bar.update(done),
    });
  } finally {
    if (showBar) bar.stop();
  }
}

function printSummary(opts: IngestOptions, result: SendResult, label: string, run: ImporterRun | undefined, out: NodeJS.WriteStream): void {
  const c = result.counts;
  const r = result.relationshipCounts;
  out.write(
    `${opts.dryRun ? 'DRY RUN (nothing written): ' : ''}${label} → ${opts.url}\n` +
      `  CIs:           ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected\n` +
      `  relationships: ${r.created} created, ${r.unchanged} unchanged, ${r.rejected} rejected\n` +
      (run
        ? `  discovery run ${run.id}${run.scope ? ` (${run.scope})` : ''}: ${run.markedStale} CIs no longer reported marked stale, ${run.markedAbsent} relationships marked absent\n`
        : ''),
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
