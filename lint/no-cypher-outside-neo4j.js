// Owns the lint rule that keeps every Cypher statement in server/neo4j: it reports string literals and templates
// that read as Cypher, and calls that send a statement to Neo4j (`tx.run`, `session.run`, `executeQuery`).
// Cypher keywords are case-insensitive, so clause keywords are matched with the shape that follows them (a node
// pattern, `$param AS x`, a procedure name), which prose does not have.

const NODE = String.raw`\(\s*\w*\s*(?::|\{|\))`; // (n:Label  (n)  ({prop  (:Label
const PATTERNS = [
  new RegExp(String.raw`\b(?:OPTIONAL\s+)?MATCH\s+(?:\w+\s*=\s*)?${NODE}`, 'i'),
  new RegExp(String.raw`\b(?:MERGE|CREATE)\s+(?:\w+\s*=\s*)?${NODE}`, 'i'),
  /\bUNWIND\s+\S+\s+AS\s+\w+/i,
  /\bCALL\s+(?:\w+\.)+\w+\s*\(/i, // CALL db.labels(
  /\bCALL\s*(?:\([\w\s,]*\)\s*)?\{/i, // CALL { ... } and CALL (x) { ... }
  /\bCALL\s+[\w.]+\s*\([^)]*\)\s*YIELD\b/i, // CALL ${procedure}($ids) YIELD
  /\bDETACH\s+DELETE\b/i,
  /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT|(?:FULLTEXT\s+|RANGE\s+|TEXT\s+|POINT\s+|VECTOR\s+)?INDEX)\b/i,
  /\bLOAD\s+CSV\b/i,
  // Upper case only: a statement that is only a RETURN, such as a ping (`RETURN 1`).
  /^\s*RETURN\s+\S/,
  // Upper case only: the tail of a statement whose MATCH is put in front of it at run time.
  /\bWITH\s+\w+(?:\s*,\s*\w+)*\s+(?:ORDER\s+BY|WHERE|RETURN|MATCH|SKIP|LIMIT)\b/,
];

/** Whether a piece of text reads as a Cypher statement. */
export function looksLikeCypher(text) {
  return PATTERNS.some((p) => p.test(text));
}

// Receivers that run Cypher: a transaction or a session, however the variable is named around them.
const RUNNER = /(?:^|_)(?:tx|txc|session|transaction)$|(?:Tx|Session|Transaction)$/;

function receiverName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') return node.property.name;
  return '';
}

/** The text of a `+` chain of strings, with anything not a literal standing as one word. */
function concatenated(node) {
  if (node.type === 'BinaryExpression' && node.operator === '+') return concatenated(node.left) + concatenated(node.right);
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral') return templateText(node);
  return 'x';
}

function templateText(node) {
  return node.quasis.map((q) => q.value.cooked ?? q.value.raw).join('x');
}

function isInConcatenation(node) {
  return node.parent?.type === 'BinaryExpression' && node.parent.operator === '+';
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Cypher lives in server/neo4j: repositories own every statement and the code that runs it' },
    messages: {
      statement: 'This reads as a Cypher statement; move it into a repository in server/neo4j and call that.',
      run: '`{{callee}}` sends Cypher to Neo4j; only server/neo4j may: add a repository function there and call it.',
    },
    schema: [],
  },
  create(context) {
    const check = (node, text) => {
      if (looksLikeCypher(text)) context.report({ node, messageId: 'statement' });
    };
    return {
      Literal(node) {
        if (typeof node.value === 'string' && !isInConcatenation(node)) check(node, node.value);
      },
      TemplateLiteral(node) {
        if (node.parent?.type !== 'TaggedTemplateExpression' && !isInConcatenation(node)) check(node, templateText(node));
      },
      BinaryExpression(node) {
        if (node.operator === '+' && !isInConcatenation(node)) check(node, concatenated(node));
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
        const method = callee.property.name;
        const runs = method === 'executeQuery' || (method === 'run' && RUNNER.test(receiverName(callee.object)));
        if (runs) context.report({ node, messageId: 'run', data: { callee: `${receiverName(callee.object)}.${method}` } });
      },
    };
  },
};
