import { createServer, type Server } from 'node:net';
import { realpathSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTEN, parseOsRelease, parsePasswd, parseProcNetTcp, parseResolvDomain, parseStatusUid, probeHost } from './probe';

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1136 1 00000000ac938cfb 100 0 0 10 0
   1: 0100007F:A49C 0100007F:B2FD 06 00000000:00000000 03:000001CF 00000000     0        0 0 3 000000003e702da7
   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   999        0 52491 1 00000000b0cfde32 100 0 0 10 0
`;

const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:86F7 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 52924 1 00000000c45ce437 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:1E13 0000000000000000FFFF00000100007F:CD68 06 00000000:00000000 03:00000552 00000000     0        0 0 3 000000001fa3faaa
   2: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0 100 0 0 10 0
   3: B80D0120000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 8 1 0 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
  it('reads IPv4 rows: little-endian address, big-endian port, state, uid and inode; skips the header', () => {
    expect(parseProcNetTcp(TCP)).toEqual([
      { address: '0.0.0.0', port: 2024, state: LISTEN, uid: 0, inode: 1136 },
      { address: '127.0.0.1', port: 42140, state: '06', uid: 0, inode: 0 },
      { address: '127.0.0.1', port: 5432, state: LISTEN, uid: 999, inode: 52491 },
    ]);
  });

  it('reads IPv6 rows, writing addresses as people do (::, ::1, ::ffff:127.0.0.1, 2001:db8::1)', () => {
    expect(parseProcNetTcp(TCP6).map((s) => [s.address, s.port, s.state, s.inode])).toEqual([
      ['::', 34551, LISTEN, 52924],
      ['::ffff:127.0.0.1', 7699, '06', 0],
      ['::1', 80, LISTEN, 7],
      ['2001:db8::1', 443, LISTEN, 8],
    ]);
  });

  it('returns nothing for empty or foreign text', () => {
    expect(parseProcNetTcp('')).toEqual([]);
    expect(parseProcNetTcp('hello world\n1: nope')).toEqual([]);
  });
});

describe('parseOsRelease', () => {
  it('reads quoted and unquoted values, undoing shell escapes, ignoring comments', () => {
    const text = [
      '# comment',
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      'NAME="Debian GNU/Linux"',
      'VERSION_ID="12"',
      'ID=debian',
      "VARIANT='Server Edition'",
      'QUOTE="a \\"b\\" \\$c"',
      '',
      'not a line',
    ].join('\n');
    expect(parseOsRelease(text)).toEqual({
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      NAME: 'Debian GNU/Linux',
      VERSION_ID: '12',
      ID: 'debian',
      VARIANT: 'Server Edition',
      QUOTE: 'a "b" $c',
    });
  });
});

describe('small /proc and /etc readers', () => {
  it('maps uids to user names, takes the real uid from status, and the domain from resolv.conf', () => {
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\npostgres:x:999:999::/var/lib/postgresql:/bin/sh\n#junk\n')).toEqual(
      new Map([[0, 'root'], [999, 'postgres']]),
    );
    expect(parseStatusUid('Name:\tnode\nUid:\t1000\t1000\t1000\t1000\n')).toBe(1000);
    expect(parseStatusUid('Name:\tx\n')).toBeUndefined();
    expect(parseResolvDomain('nameserver 10.0.0.1\nsearch corp.example.com example.com\n')).toBe('corp.example.com');
    expect(parseResolvDomain('search a.example\ndomain prod.example.com.\n')).toBe('prod.example.com');
    expect(parseResolvDomain('nameserver 1.1.1.1\n')).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('probeHost on this machine', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('finds this test process listening on the port it just opened', () => {
    const p = probeHost();
    expect(p.hostname).toBeTruthy();
    expect(p.cpuCount).toBeGreaterThan(0);
    expect(p.memoryMb).toBeGreaterThan(0);
    const me = p.processes.find((x) => x.pid === process.pid);
    expect(me?.ports).toContain(port);
    expect(me?.executable).toBe(realpathSync(process.execPath));
    expect(me?.commandLine).toBeTruthy();
  });
});
