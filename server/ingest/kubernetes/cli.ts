// Owns the `k8s` importer command: read manifest files and folders (multi-document YAML), map them with
// manifestsToBatch, print what was read and what was skipped, then send the batch to Ripple as source `k8s`.
//   node --import tsx server/ingest/kubernetes/cli.ts --cluster prod-1 [--namespace boutique] <file or dir>...
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Option } from 'commander';
import { LineCounter, parseAllDocuments } from 'yaml';
import { ingestCommand, listSection, runIngest, runWhenMain, type IngestOptions } from '../cli-common';
import { manifestsToBatch } from './manifests';

export const K8S_SOURCE = 'k8s';
const YAML_FILE = /\.ya?ml$/i;

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** Every *.yaml / *.yml file named or below a named folder, sorted within each folder. */
function listFiles(paths: string[], errors: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, named: boolean) => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      errors.push(`${display(p)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    if (st.isDirectory()) {
      for (const n of readdirSync(p).sort()) if (!n.startsWith('.')) walk(join(p, n), false);
    } else if (named || YAML_FILE.test(p)) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}

/** The documents of one file; a document that does not parse is reported by file and line and left out. */
export function readManifestFile(path: string, errors: string[]): unknown[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    errors.push(`${display(path)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return [];
  }
  const lineCounter = new LineCounter();
  const docs: unknown[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (doc.errors.length) {
      const err = doc.errors[0]!;
      const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
      const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      errors.push(`${display(path)}:${line}: ${reason} (this document was skipped)`);
      continue;
    }
    try {
      docs.push(doc.toJS());
    } catch (e) {
      const line = doc.range ? lineCounter.linePos(doc.range[0]).line : 1;
      errors.push(`${display(path)}:${line}: ${(e as Error).message} (this document was skipped)`);
    }
  }
  return docs;
}

export async function main(argv: string[]): Promise<number> {
  const cmd = ingestCommand('ripple-ingest-k8s', 'Import Kubernetes manifests (workloads, Services, namespaces) into Ripple')
    .argument('<paths...>', 'manifest files, or folders (every *.yaml/*.yml below)')
    .addOption(new Option('--cluster <name>', 'cluster name (KubernetesCluster clusterName)').makeOptionMandatory())
    .option('--namespace <ns>', 'namespace of objects without metadata.namespace', 'default')
    .option('--environment <env>', 'Ripple environment of what is imported: production, staging, test, development, dr')
    .option('--owner <team>', 'owning team (by name) of the namespaces, workloads and Services');
  cmd.parse(argv);
  const opts = cmd.opts<IngestOptions & { cluster: string; namespace: string; environment?: string; owner?: string }>();

  const errors: string[] = [];
  const files = listFiles(cmd.args, errors);
  const docs = files.flatMap((f) => readManifestFile(f, errors));
  const { batch, warnings } = manifestsToBatch(docs, {
    cluster: opts.cluster,
    namespace: opts.namespace,
    ...(opts.environment ? { environment: opts.environment } : {}),
    ...(opts.owner ? { owner: opts.owner } : {}),
  });
  const byClass = new Map<string, number>();
  for (const i of batch.items) byClass.set(i.className, (byClass.get(i.className) ?? 0) + 1);
  const n = (c: string) => byClass.get(c) ?? 0;
  const deps = batch.relationships.filter((r) => r.type === 'DEPENDS_ON').length;
  process.stdout.write(
    `Kubernetes manifests: ${files.length} file${files.length === 1 ? '' : 's'}, ${docs.filter((d) => d != null).length} documents\n` +
      `  cluster ${opts.cluster}: ${n('KubernetesNamespace')} namespaces, ${n('KubernetesWorkload')} workloads, ${n('KubernetesService')} services\n` +
      `  DEPENDS_ON: ${deps}\n`,
  );
  process.stdout.write(listSection('YAML errors', errors) + listSection('Not imported', warnings));
  if (!files.length) {
    process.stderr.write('k8s: no manifest files found\n');
    return 1;
  }
  // One run per cluster: importing another cluster's manifests must not mark this one's workloads stale.
  const { code } = await runIngest(opts, { source: K8S_SOURCE, ...batch }, K8S_SOURCE, { scope: `cluster:${opts.cluster}` });
  return code;
}

runWhenMain(import.meta.url, 'k8s', main);
