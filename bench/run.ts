// The `npm run bench` entry: runs each benchmark module in turn, printing a header before its own figures.
// `npm run bench -- <filter>` runs only the modules whose name contains <filter>. Benchmarks print, never assert.
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import * as apiQueries from './api-queries';
import * as fuzz from './fuzz';
import * as impact from './impact';
import * as ingest from './ingest';
import * as load from './load';
import * as neo4jLocal from './neo4j-local';
import * as readModel from './read-model';
import * as serviceLevels from './service-levels';
import * as timeTravel from './time-travel';
import * as webGraph from './web-graph';

export interface BenchModule {
  /** Short, unique; matched by the CLI filter. */
  name: string;
  /** Runs the benchmark and prints its own figures; throws only when the benchmark itself breaks. */
  run(): Promise<void>;
}

// To add a benchmark: create bench/<name>.ts exporting `name` and `run()`, import it here
// (e.g. `import * as ingest from './ingest';`) and append it to this list. They run in this order.
const modules: BenchModule[] = [neo4jLocal, apiQueries, ingest, impact, readModel, webGraph, load, fuzz, serviceLevels, timeTravel];

const program = new Command()
  .name('npm run bench --')
  .description('Runs Ripple benchmarks in sequence and prints their figures.')
  .argument('[filter]', 'run only benchmarks whose name contains this text')
  .addHelpText('after', `\nBenchmarks: ${modules.map((m) => m.name).join(', ')}`)
  .parse();

const filter = program.processedArgs[0] as string | undefined;
const selected = filter ? modules.filter((m) => m.name.includes(filter)) : modules;

if (selected.length === 0) {
  console.error(`no benchmark name contains "${filter}"; available: ${modules.map((m) => m.name).join(', ')}`);
  process.exitCode = 1;
} else {
  for (const mod of selected) {
    console.log(`\n=== ${mod.name} ${'='.repeat(Math.max(3, 70 - mod.name.length))}`);
    const started = performance.now();
    try {
      await mod.run();
      console.log(`--- ${mod.name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      // One broken benchmark should not hide the figures of the others; the exit code still reports it.
      process.exitCode = 1;
      console.error(`--- ${mod.name} FAILED after ${((performance.now() - started) / 1000).toFixed(1)} s:`);
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    }
  }
}
