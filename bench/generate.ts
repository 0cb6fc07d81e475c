/**
 * A seeded generator of realistic ECS events: Windows and Linux process,
 * network, file, registry, DNS and authentication events across many hosts,
 * with multi-valued `event.category`/`event.type`, `process.args` arrays and
 * sizes around 1 KB. It plants positives and near misses of the bundled rule
 * ("WMI Incoming Lateral Movement").
 *
 * bench/write-events.ts writes them as NDJSON for other engines.
 */

/** mulberry32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratorOptions {
  readonly count: number;
  readonly hosts: number;
  readonly seed?: number;
  /** Epoch milliseconds of the first event. */
  readonly start?: number;
  /** Average milliseconds between events. */
  readonly stepMs?: number;
  /** Share of events that start a WMI lateral-movement pattern (half become positives, half near misses). */
  readonly plantRate?: number;
}

// Most processes on real hosts are ordinary programs; the tools that rules watch are a small share.
const WIN_COMMON = [
  'svchost.exe',
  'explorer.exe',
  'chrome.exe',
  'msedge.exe',
  'OUTLOOK.EXE',
  'Teams.exe',
  'SearchIndexer.exe',
  'RuntimeBroker.exe',
  'conhost.exe',
  'taskhostw.exe',
  'dllhost.exe',
  'MsMpEng.exe',
  'OneDrive.exe',
  'sihost.exe',
  'ctfmon.exe',
];
const WIN_WATCHED = ['powershell.exe', 'cmd.exe', 'WmiPrvSE.exe', 'rundll32.exe', 'regsvr32.exe', 'mshta.exe', 'certutil.exe', 'wscript.exe', 'net.exe', 'schtasks.exe'];
const LINUX_COMMON = ['systemd', 'sshd', 'nginx', 'cron', 'java', 'node', 'postgres', 'dockerd', 'containerd', 'rsyslogd', 'snapd', 'chronyd'];
const LINUX_WATCHED = ['bash', 'sh', 'python3', 'curl', 'wget', 'sudo', 'nc', 'chmod', 'perl', 'ssh'];
const APP_NAMES = Array.from({ length: 300 }, (_, i) => `app${i.toString(36)}`);
const WIN_PROCESSES = [...WIN_COMMON, ...APP_NAMES.map((a) => `${a}.exe`)];
const LINUX_PROCESSES = [...LINUX_COMMON, ...APP_NAMES];
const USERS = ['alice', 'bob', 'carol', 'dave', 'SYSTEM', 'root', 'svc_backup', 'admin'];
const DOMAINS = ['example.com', 'updates.vendor.net', 'cdn.static.org', 'login.corp.local', 'telemetry.app.io'];
const NEAR_MISS_ARGS = ['C:\\windows\\temp\\nessus_1.txt', 'C:\\Windows\\CCM\\ccmrepair.exe', 'C:\\Windows\\CCMCache\\x.exe'];

/** The events, one at a time, so any number can be produced in flat memory. */
export function* generateEvents(options: GeneratorOptions): Generator<Record<string, unknown>> {
  const rand = prng(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const step = options.stepMs ?? 1;
  const plantRate = options.plantRate ?? 0.001;
  let t = options.start ?? Date.UTC(2026, 0, 1);
  // Planted second halves waiting for their time: [dueTime, event].
  const planted: Array<[number, Record<string, unknown>]> = [];
  let produced = 0;

  const host = (id: number, windows: boolean) => ({
    id: `host-${id.toString(36).padStart(6, '0')}`,
    name: `${windows ? 'WIN' : 'lnx'}-${id}`,
    os: { type: windows ? 'windows' : 'linux', family: windows ? 'windows' : 'debian', version: windows ? '10.0' : '12' },
    ip: [`10.${(id >> 16) & 255}.${(id >> 8) & 255}.${id & 255}`],
  });
  const common = (ts: number, hostId: number, windows: boolean) => ({
    '@timestamp': new Date(ts).toISOString(),
    host: host(hostId, windows),
    agent: { id: `agent-${hostId}`, type: 'endpoint', version: '8.15.0' },
    ecs: { version: '8.11.0' },
    data_stream: { dataset: 'endpoint.events', namespace: 'default', type: 'logs' },
    message: `event ${produced} on host ${hostId}`.padEnd(120, '.'),
  });

  while (produced < options.count) {
    t += step * (0.5 + rand());
    // Release planted events whose time has come, keeping timestamps in order.
    if (planted.length > 0 && planted[0]![0] <= t) {
      const [due, e] = planted.shift()!;
      e['@timestamp'] = new Date(Math.max(due, t)).toISOString();
      produced++;
      yield e;
      continue;
    }
    const hostId = int(options.hosts);
    const windows = hostId % 3 !== 0;
    const base = common(t, hostId, windows);
    const user = { name: pick(USERS), domain: windows ? 'CORP' : undefined, id: `${int(5000)}` };
    const r = rand();
    let event: Record<string, unknown>;
    if (r < plantRate && windows) {
      // The rule's first stage: an incoming RPC connection to svchost.
      const positive = rand() < 0.5;
      const sourcePort = positive || rand() < 0.5 ? 49152 + int(16000) : 1024 + int(40000);
      event = {
        ...base,
        event: { category: ['network'], type: ['start', 'connection'], action: 'connection_accepted', kind: 'event' },
        process: { name: 'svchost.exe', pid: 1000 + int(5000), executable: 'C:\\Windows\\System32\\svchost.exe' },
        network: { direction: positive ? 'incoming' : pick(['incoming', 'outgoing', 'ingress']), transport: 'tcp' },
        source: { ip: positive ? `10.9.${int(255)}.${int(255)}` : pick(['127.0.0.1', '::1', `10.9.${int(255)}.${int(255)}`]), port: sourcePort },
        destination: { ip: base.host.ip[0], port: 49152 + int(16000) },
        user,
      };
      // Its second stage, within the 2 s maxspan or just outside it.
      const delay = positive ? 100 + int(1800) : pick([1500, 2001, 2500, 10_000]);
      const args = positive ? ['C:\\Windows\\System32\\cmd.exe', '/c', 'whoami'] : rand() < 0.5 ? [pick(NEAR_MISS_ARGS).toUpperCase()] : ['cmd.exe', '/c', 'dir'];
      planted.push([
        t + delay,
        {
          ...common(t + delay, hostId, windows),
          event: { category: ['process'], type: [positive || rand() < 0.5 ? 'start' : 'end'], action: 'start', kind: 'event' },
          process: { name: 'cmd.exe', pid: 6000 + int(5000), args, args_count: args.length, command_line: args.join(' '), executable: args[0], parent: { name: 'WmiPrvSE.exe', pid: 3000 + int(100) } },
          user,
        },
      ]);
      planted.sort((a, b) => a[0] - b[0]);
    } else if (r < 0.4) {
      const name = rand() < 0.05 ? pick(windows ? WIN_WATCHED : LINUX_WATCHED) : pick(windows ? WIN_PROCESSES : LINUX_PROCESSES);
      const args = [name, ...Array.from({ length: int(4) }, () => pick(['-c', '/q', '--verbose', 'C:\\Users\\Public\\x.ps1', '/tmp/a.sh', '-enc', 'AAAA']))];
      event = {
        ...base,
        event: { category: ['process'], type: [pick(['start', 'end', 'info'])], action: 'exec', kind: 'event' },
        process: {
          name,
          pid: int(65535),
          args,
          args_count: args.length,
          command_line: args.join(' '),
          executable: windows ? `C:\\Windows\\System32\\${name}` : `/usr/bin/${name}`,
          parent: { name: pick(windows ? WIN_PROCESSES : LINUX_PROCESSES), pid: int(65535) },
          hash: { sha256: 'ab'.repeat(32) },
        },
        user,
      };
    } else if (r < 0.6) {
      event = {
        ...base,
        event: { category: ['network'], type: [pick(['start', 'end', 'connection'])], action: 'connection_attempted', kind: 'event' },
        process: { name: pick(windows ? WIN_PROCESSES : LINUX_PROCESSES), pid: int(65535) },
        network: { direction: pick(['incoming', 'outgoing', 'ingress', 'egress']), transport: pick(['tcp', 'udp']) },
        source: { ip: `10.${int(255)}.${int(255)}.${int(255)}`, port: int(65535) },
        destination: { ip: `172.16.${int(255)}.${int(255)}`, port: pick([22, 53, 80, 135, 443, 445, 3389, 49152 + int(1000)]) },
        user,
      };
    } else if (r < 0.75) {
      event = {
        ...base,
        event: { category: ['file'], type: [pick(['creation', 'change', 'deletion'])], action: 'write', kind: 'event' },
        file: { path: windows ? `C:\\Users\\${user.name}\\AppData\\Local\\Temp\\f${int(1000)}.tmp` : `/tmp/f${int(1000)}`, name: `f${int(1000)}.tmp`, extension: 'tmp', size: int(1e6) },
        process: { name: pick(windows ? WIN_PROCESSES : LINUX_PROCESSES), pid: int(65535) },
        user,
      };
    } else if (r < 0.85 && windows) {
      event = {
        ...base,
        event: { category: ['registry'], type: ['change'], action: 'modification', kind: 'event' },
        registry: { path: `HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\v${int(100)}`, value: `v${int(100)}`, data: { strings: [`C:\\x${int(10)}.exe`] } },
        process: { name: pick(WIN_PROCESSES), pid: int(65535) },
        user,
      };
    } else if (r < 0.93) {
      event = {
        ...base,
        event: { category: ['network'], type: ['protocol', 'info'], action: 'lookup_requested', kind: 'event' },
        dns: { question: { name: `${int(100)}.${pick(DOMAINS)}`, type: 'A' } },
        process: { name: pick(windows ? WIN_PROCESSES : LINUX_PROCESSES), pid: int(65535) },
        user,
      };
    } else {
      event = {
        ...base,
        event: { category: ['authentication', 'session'], type: ['start'], action: pick(['log_on', 'ssh_login']), outcome: pick(['success', 'failure']), kind: 'event' },
        source: { ip: `192.168.${int(255)}.${int(255)}` },
        user,
      };
    }
    produced++;
    yield event;
  }
}
