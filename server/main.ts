// Entry point of `npm start`: reads the configuration, starts Ripple, and stops it cleanly on SIGINT/SIGTERM.
import { ConfigError, loadConfig } from './config/config';
import { RippleError } from './errors';
import { startRipple, type Ripple } from './app';
import { createLogger } from './log';

function fail(message: string): never {
  process.stderr.write(`ripple: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const log = createLogger(config.logLevel);
  let ripple: Ripple | undefined;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      process.stderr.write('ripple: forced exit\n');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    void (ripple?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    ripple = await startRipple(config, log);
  } catch (e) {
    if (e instanceof RippleError) fail(e.message);
    throw e;
  }
  if (stopping) return void (await ripple.stop());
  log.info({ url: ripple.url }, 'ripple ready');
  const demo = config.auth.mode === 'demo' ? '; demo mode: anyone on this machine is admin, RIPPLE_AUTH=on to require tokens' : '';
  process.stderr.write(`Ripple is ready: ${ripple.url}/ (GraphQL at ${ripple.url}/graphql${demo})\n`);
}

main().catch((e: unknown) => fail(`unexpected error: ${(e as Error).stack ?? String(e)}`));
