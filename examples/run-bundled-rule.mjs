// Runs the bundled rule "WMI Incoming Lateral Movement" over its sample events
// and prints each alert. Run from the repository root after `npm run build`.
import { readFileSync } from 'node:fs';
import { bundledRules, bundledRulesDir } from '../dist/index.js';

const [rule] = bundledRules();
const file = `${bundledRulesDir()}/windows/lateral_movement_incoming_wmi.events.ndjson`;
const events = readFileSync(file, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

const alerts = rule.run(events);
console.log(`${rule.name}: ${alerts.length} alerts in ${events.length} events\n`);
for (const alert of alerts) {
  const [network, process] = alert.events;
  console.log(`host ${alert.join_keys[0]}  ${alert.first_event_time} → ${alert.last_event_time}`);
  console.log(`  ${network.source.ip}:${network.source.port} → svchost.exe, then ${process.process.parent.name} started ${process.process.args.join(' ')}`);
}
