import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * The processes listening on a local TCP port, found from /proc (Linux): the
 * socket inodes in LISTEN state on that port (/proc/net/tcp, tcp6), then the
 * processes holding one of them. Lets a test stop exactly the server it uses,
 * never another instance of the same program on the machine.
 */
export function pidsListeningOn(port: number): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      // st 0A = LISTEN; the local address ends in :<port in hex>
      if (local && f[3] === '0A' && parseInt(local.split(':')[1] ?? '', 16) === port && f[9])
        inodes.add(f[9]);
    }
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (m && inodes.has(m[1]!)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/** The program a process runs (its argv[0]), or undefined when it is gone (or a zombie, with no command line). */
export function programOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] || undefined;
  } catch {
    return undefined;
  }
}
