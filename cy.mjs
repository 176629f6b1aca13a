import neo4j from 'neo4j-driver';
import fs from 'node:fs';
const { uri, password } = JSON.parse(fs.readFileSync('/tmp/devneo.log','utf8').trim().split('\n').pop());
const d = neo4j.driver(uri, neo4j.auth.basic('neo4j', password), { disableLosslessIntegers: true });
const q = process.argv[2];
function ops(p, depth=0) { if (!p) return ''; return '  '.repeat(depth) + p.operatorType + (p.arguments?.Details ? ' ' + String(p.arguments.Details).slice(0,100) : '') + (p.dbHits!==undefined? ` dbHits=${p.dbHits} rows=${p.rows}`:'') + '\n' + (p.children||[]).map(c => ops(c, depth+1)).join(''); }
try {
  const t = Date.now();
  const r = await d.executeQuery(q, JSON.parse(process.argv[3] ?? '{}'));
  console.log(Date.now()-t, 'ms', JSON.stringify(r.records.map(x => x.toObject())).slice(0, 1500));
  if (r.summary.plan || r.summary.profile) console.log(ops(r.summary.profile || r.summary.plan));
} catch (e) { console.log('ERR', e.message); }
await d.close();
