// docker-compose.yml is validated by Compose itself (no engine runs here): the stack a Docker user gets wires
// Ripple to the official Neo4j image (with Ripple's plugin built in) with a volume and a health check.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../server/config/config';

function composeConfig(env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(repoRoot, 'docker-compose.yml');
  const opts = { encoding: 'utf8' as const, env: { ...process.env, ...env }, cwd: repoRoot };
  // Compose v2 (the docker CLI plugin) where it is installed, else the standalone docker-compose.
  const v2 = spawnSync('docker', ['compose', 'version'], opts);
  if (!v2.error && v2.status === 0) {
    const r = spawnSync('docker', ['compose', '-f', file, 'config'], opts);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const v1 = spawnSync('docker-compose', ['-f', file, 'config'], opts);
  if (v1.error) throw new Error('neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)');
  return { status: v1.status, stdout: v1.stdout, stderr: v1.stderr };
}

describe('docker-compose.yml', () => {
  it('is valid Compose and wires Ripple to a healthy Neo4j 5.26 with a data volume', () => {
    const res = composeConfig({ NEO4J_PASSWORD: 'compose-test-pw' });
    expect(res.stderr).not.toMatch(/error/i);
    expect(res.status).toBe(0);
    const cfg = parse(res.stdout) as {
      services: Record<string, { image?: string; build?: unknown; environment: Record<string, string>; healthcheck?: unknown; volumes?: string[]; depends_on?: Record<string, { condition: string }> }>;
      volumes: Record<string, unknown>;
    };
    const neo4j = cfg.services.neo4j!;
    const ripple = cfg.services.ripple!;
    // The official image, with Ripple's plugin compiled against its own jars.
    const neo4jBuild = neo4j.build as { context: string; dockerfile: string };
    const dockerfile = readFileSync(path.resolve(neo4jBuild.context, neo4jBuild.dockerfile), 'utf8');
    expect(dockerfile).toMatch(/^ARG NEO4J_IMAGE=neo4j:5\.26-community$/m);
    expect(dockerfile).toMatch(/COPY --from=build \/ripple-neo4j-plugin\.jar \/plugins\//);
    expect(neo4j.healthcheck).toBeDefined();
    expect(neo4j.volumes?.some((v) => /:\/data/.test(v))).toBe(true);
    expect(neo4j.environment.NEO4J_AUTH).toBe('neo4j/compose-test-pw');
    expect(ripple.build).toBeDefined();
    expect(ripple.environment.NEO4J_URI).toBe('bolt://neo4j:7687');
    expect(ripple.environment.NEO4J_PASSWORD).toBe('compose-test-pw');
    expect(ripple.depends_on?.neo4j?.condition).toBe('service_healthy');
    expect(Object.keys(cfg.volumes)).toContain('neo4j-data');
  });
});
