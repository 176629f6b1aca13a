// Proves the Cypher lint rule on prose, GraphQL and Cypher, and against every statement the repositories hold:
// a rule that missed one of those would let the same kind of statement slip in elsewhere.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@typescript-eslint/parser';
import { RuleTester } from 'eslint';
import { describe, expect, it } from 'vitest';
import rule, { looksLikeCypher } from './no-cypher-outside-neo4j.js';

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parser: { parse } as never } });

tester.run('no-cypher-outside-neo4j', rule, {
  valid: [
    "const m = 'the item does not match (see its attributes)';",
    "const q = 'query { cis(first: 5) { nodes { id name } } }';",
    "const msg = 'CREATED';",
    "const t = `mutation Create($input: CreateCiInput!) { createCi(input: $input) { id } }`;",
    'await layout.run({ nodes });',
    "const r = 'return the owner as text';",
  ],
  invalid: [
    { code: "await tx.run('MATCH (n:CI) RETURN count(n) AS n');", errors: [{ messageId: 'run' }, { messageId: 'statement' }] },
    { code: "const s = 'unwind $names as n match (t:Team {name: n}) return t';", errors: [{ messageId: 'statement' }] },
    { code: 'const s = `MERGE (t:${label} {id: $id})`;', errors: [{ messageId: 'statement' }] },
    { code: "const s = 'MATCH (a' + ':' + label + ')-[r]->(b) RETURN r';", errors: [{ messageId: 'statement' }] },
    { code: "const s = 'CALL dbms.components() YIELD versions RETURN versions';", errors: [{ messageId: 'statement' }] },
    { code: "const s = 'RETURN 1';", errors: [{ messageId: 'statement' }] },
    { code: 'await session.run(statement, params);', errors: [{ messageId: 'run' }] },
    { code: 'await this.tx.run(q);', errors: [{ messageId: 'run' }] },
    { code: 'await driver.executeQuery(q);', errors: [{ messageId: 'run' }] },
  ],
});

/** The text of every statement literal passed to `.run(` in a file, following top-level constants. */
function statementsIn(file: string): string[] {
  const ast = parse(readFileSync(file, 'utf8'), { range: false });
  const consts = new Map<string, unknown>();
  const found: string[] = [];
  const text = (n: { type: string; value?: unknown; quasis?: { value: { cooked: string } }[] } | undefined): string | undefined => {
    if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
    if (n?.type === 'TemplateLiteral') return n.quasis!.map((q) => q.value.cooked).join('x');
    return undefined;
  };
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown> & { type?: string };
    if (n.type === 'VariableDeclarator' && (n.id as { name?: string }).name) consts.set((n.id as { name: string }).name, n.init);
    if (n.type === 'CallExpression' && (n.callee as { property?: { name?: string } }).property?.name === 'run') {
      const arg = (n.arguments as { type: string; name?: string }[])[0];
      const t = text(arg?.type === 'Identifier' ? (consts.get(arg.name!) as never) : (arg as never));
      if (t !== undefined) found.push(t);
    }
    for (const v of Object.values(n)) if (v !== n.parent) [v].flat().forEach(walk);
  };
  walk(ast);
  return found;
}

describe('recognising Cypher', () => {
  const dir = path.join(import.meta.dirname, '../server/neo4j/repositories');
  const statements = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .flatMap((f) => statementsIn(path.join(dir, f)).map((s) => [f, s] as const));

  it('finds statements to check in the repositories', () => {
    expect(statements.length).toBeGreaterThan(40);
  });

  it.each(statements)('recognises the statement in %s: %s', (_file, statement) => {
    expect(looksLikeCypher(statement)).toBe(true);
  });
});
