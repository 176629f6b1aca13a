// Entry of `npm run token -- <create|list|revoke>`: an admin's API token management through Ripple's API.
// The first admin token of a Ripple that will require authentication is minted in demo mode, where anyone on
// the machine is admin anyway: `npm start`, `npm run token -- create --name ops --role admin`, then restart with
// RIPPLE_AUTH=on. Where demo mode cannot run (a container listening on all interfaces), `create --direct` writes the
// token straight into the Neo4j that NEO4J_URI names: whoever holds its password is admin anyway.
import { Command, Option } from 'commander';
import { loadConfig } from '../config/config';
import { connect } from '../neo4j/db';
import { TokenService, type NewTokenInput } from '../services/tokens';

const ROLE_VALUES = ['viewer', 'discovery', 'incident-responder', 'change-manager', 'editor', 'admin'];

interface Common {
  url: string;
  token?: string;
}

async function call<T>(opts: Common, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${opts.url.replace(/\/+$/, '')}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  }).catch((e: unknown) => fail(`cannot reach Ripple at ${opts.url}: ${(e as Error).message}`));
  const body = (await res.json().catch(() => ({}))) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) fail(body.errors[0]!.message);
  return body.data!;
}

function fail(message: string): never {
  process.stderr.write(`ripple-token: ${message}\n`);
  process.exit(1);
}

const common = (c: Command) =>
  c
    .addOption(new Option('--url <url>', 'Ripple base URL').env('RIPPLE_URL').default('http://localhost:4000'))
    .addOption(new Option('--token <token>', "an admin's API token (not needed in demo mode)").env('RIPPLE_TOKEN'));

const program = new Command().name('ripple-token').description('Create, list and revoke Ripple API tokens (admin).');

common(program.command('create'))
  .description('create a token; its text is printed once and never stored')
  .requiredOption('--name <name>', 'what it is for, e.g. k8s-discovery')
  .option('--subject <subject>', 'the identity its writes are recorded under (default: the name)')
  .addOption(new Option('--role <role...>', 'one or more roles').choices(ROLE_VALUES).makeOptionMandatory())
  .option('--source <source...>', 'discovery sources it may write (required with --role discovery)')
  .option('--expires-in-days <days>', 'days until it stops working', '90')
  .option('--direct', 'write into the Neo4j of NEO4J_URI / NEO4J_PASSWORD instead of calling Ripple (bootstrap)')
  .action(async (o: Common & { name: string; subject?: string; role: string[]; source?: string[]; expiresInDays: string; direct?: boolean }) => {
    if (o.direct) return createDirect({ name: o.name, subject: o.subject ?? null, roles: o.role, sources: o.source ?? null, expiresInDays: Number(o.expiresInDays) });
    const r = await call<{ createApiToken: { __typename: string; message?: string; data?: { token: string; apiToken: { id: string } } } }>(
      o,
      `mutation ($i: CreateApiTokenInput!) { createApiToken(input: $i) { __typename
         ... on MutationCreateApiTokenSuccess { data { token apiToken { id } } } ... on Error { message } } }`,
      {
        i: {
          name: o.name,
          subject: o.subject ?? null,
          roles: o.role.map((r) => r.toUpperCase().replace(/-/g, '_')),
          sources: o.source ?? null,
          expiresInDays: Number(o.expiresInDays),
        },
      },
    );
    const c = r.createApiToken;
    if (!c.data) fail(c.message ?? c.__typename);
    process.stderr.write(`created token ${c.data.apiToken.id}; it is shown this once:\n`);
    process.stdout.write(`${c.data.token}\n`);
  });

async function createDirect(input: NewTokenInput): Promise<void> {
  const config = loadConfig();
  if (!config.neo4j) fail('--direct needs NEO4J_URI and NEO4J_PASSWORD, the Neo4j this Ripple uses');
  const db = await connect({ ...config.neo4j, timeoutMs: config.neo4jConnectTimeoutMs });
  try {
    const { token, record } = await new TokenService(db).create(input, 'ripple-token --direct');
    process.stderr.write(`created token ${record.id}; it is shown this once:\n`);
    process.stdout.write(`${token}\n`);
  } catch (e) {
    fail((e as Error).message);
  } finally {
    await db.driver.close();
  }
}

common(program.command('list'))
  .description('list tokens (never their text)')
  .action(async (o: Common) => {
    const r = await call<{ apiTokens: Record<string, unknown>[] }>(o, '{ apiTokens { id name subject roles sources expiresAt lastUsedAt revokedAt } }');
    console.table(r.apiTokens.map((t) => ({ ...t, roles: (t.roles as string[]).join(','), sources: (t.sources as string[]).join(',') })));
  });

common(program.command('revoke'))
  .description('revoke a token by id; it stops on its next request')
  .argument('<id>')
  .action(async (id: string, o: Common) => {
    const r = await call<{ revokeApiToken: { __typename: string; message?: string; data?: { revokedAt: string } } }>(
      o,
      `mutation ($id: ID!) { revokeApiToken(id: $id) { __typename ... on MutationRevokeApiTokenSuccess { data { revokedAt } } ... on Error { message } } }`,
      { id },
    );
    if (!r.revokeApiToken.data) fail(r.revokeApiToken.message ?? r.revokeApiToken.__typename);
    process.stdout.write(`revoked ${id} at ${r.revokeApiToken.data.revokedAt}\n`);
  });

await program.parseAsync();
