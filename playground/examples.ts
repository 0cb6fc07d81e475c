/**
 * What the playground starts from: the bundled rule with its sample events,
 * and one query of each shape with a few events that show what it takes.
 * They are part of the page's code: loading one makes no request.
 */
import bundledRule from '../rules/windows/lateral_movement_incoming_wmi.toml?raw';
import bundledEvents from '../rules/windows/lateral_movement_incoming_wmi.events.ndjson?raw';
import type { SourceMode } from './protocol.js';

export interface Example {
  readonly id: string;
  readonly title: string;
  readonly mode: SourceMode;
  readonly source: string;
  /** NDJSON. */
  readonly events: string;
}

const ndjson = (events: readonly object[]): string => `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;

const at = (minute: number, second = 0): string => `2026-03-02T09:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

const process = (time: string, host: string, name: string, parent: string, args: string[] = [name]) => ({
  '@timestamp': time,
  event: { category: ['process'], type: ['start'] },
  host: { id: host },
  process: { name, args, parent: { name: parent } },
});

const login = (time: string, user: string, outcome: 'success' | 'failure') => ({
  '@timestamp': time,
  event: { category: ['authentication'], action: 'logon', outcome },
  host: { id: 'dc-01' },
  user: { name: user },
});

export const EXAMPLES: readonly Example[] = [
  {
    id: 'bundled-rule',
    title: 'Rule: WMI Incoming Lateral Movement (bundled, with its sample events)',
    mode: 'rule',
    source: bundledRule,
    events: bundledEvents,
  },
  {
    id: 'event-query',
    title: 'Event query: a shell started by Word',
    mode: 'query',
    source: `process where event.type == "start" and
  process.name : ("cmd.exe", "powershell.exe") and
  process.parent.name : "winword.exe"
`,
    events: ndjson([
      process(at(0), 'host-a', 'cmd.exe', 'WINWORD.EXE', ['cmd.exe', '/c', 'whoami']),
      process(at(1), 'host-a', 'notepad.exe', 'WINWORD.EXE'),
      process(at(2), 'host-b', 'powershell.exe', 'explorer.exe'),
      process(at(3), 'host-b', 'POWERSHELL.EXE', 'winword.exe', ['powershell.exe', '-enc', 'SQBFAFgA']),
      { '@timestamp': at(4), event: { category: ['network'], type: ['start'] }, host: { id: 'host-a' }, process: { name: 'cmd.exe', parent: { name: 'winword.exe' } } },
    ]),
  },
  {
    id: 'sequence',
    title: 'Sequence with by, maxspan and until: failed logons, then one that succeeds',
    mode: 'query',
    source: `sequence by user.name with maxspan=5m
  [authentication where event.outcome == "failure"] with runs=3
  [authentication where event.outcome == "success"]
until [iam where event.action == "password-reset"]
`,
    events: ndjson([
      // alice: three failures and a success within five minutes: a match.
      login(at(0, 0), 'alice', 'failure'),
      login(at(0, 20), 'alice', 'failure'),
      login(at(0, 40), 'alice', 'failure'),
      login(at(1, 0), 'alice', 'success'),
      // bob: his password is reset before the success: until cancels the sequence.
      login(at(2, 0), 'bob', 'failure'),
      login(at(2, 10), 'bob', 'failure'),
      login(at(2, 20), 'bob', 'failure'),
      { '@timestamp': at(2, 30), event: { category: ['iam'], action: 'password-reset' }, user: { name: 'bob' } },
      login(at(2, 40), 'bob', 'success'),
      // carol: the success comes too late for maxspan.
      login(at(3, 0), 'carol', 'failure'),
      login(at(3, 5), 'carol', 'failure'),
      login(at(3, 10), 'carol', 'failure'),
      login(at(9, 0), 'carol', 'success'),
    ]),
  },
  {
    id: 'sample',
    title: 'Sample: discovery commands and SMB on one host, in any order',
    mode: 'query',
    source: `sample by host.id
  [process where process.name : "whoami.exe"]
  [process where process.name : "net.exe" and process.args : "user"]
  [network where destination.port == 445]
`,
    events: ndjson([
      { '@timestamp': at(10), event: { category: ['network'] }, host: { id: 'host-a' }, destination: { port: 445 } },
      process(at(11), 'host-a', 'net.exe', 'cmd.exe', ['net.exe', 'user', '/domain']),
      process(at(12), 'host-a', 'whoami.exe', 'cmd.exe'),
      process(at(13), 'host-b', 'whoami.exe', 'cmd.exe'),
      process(at(14), 'host-b', 'net.exe', 'cmd.exe', ['net.exe', 'share']),
      { '@timestamp': at(15), event: { category: ['network'] }, host: { id: 'host-b' }, destination: { port: 445 } },
    ]),
  },
];
