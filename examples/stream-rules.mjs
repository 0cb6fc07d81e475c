// Streams NDJSON events through a set of detection rules, as a service reading
// a queue or a log would: one event at a time, alerts as soon as they are
// final, bad events reported by number without stopping the stream.
//
//   node examples/stream-rules.mjs [rules folder or glob] < events.ndjson
//
// With no rules named it runs the bundled ones. Run from the repository root
// after `npm run build`.
import { createInterface } from 'node:readline';
import { bundledRulesDir, loadRules, RuleSet } from '../dist/index.js';

const from = process.argv[2] ?? bundledRulesDir();
const { rules, errors } = loadRules(from);
for (const e of errors) console.error(`rule not loaded: ${e.message}`);
const set = new RuleSet(rules);
// The stream still runs (events are checked and counted), but it cannot alert: say so before it starts.
if (set.rules.length === 0) {
  const found = rules.length === 0 ? 'no rules' : `${rules.length} rule${rules.length === 1 ? '' : 's'}, none of them EQL`;
  console.error(`warning: ${found} loaded from ${from}; no alerts can come`);
}

const matcher = set.matcher({
  // A few seconds of slack for events that arrive slightly out of order.
  reorderWindow: '5s',
  onError: (e) => console.error(`event ${e.index}: ${e.reason}`),
  onLate: (e) => console.error(`event ${e.index}: ${e.reason}`),
});
const print = (alert) => console.log(`${alert.rule.name}  ${alert.first_event_time}  by ${alert.join_keys.join(', ') || '-'}`);

// pushLine parses each line itself and reports one that is not JSON.
for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  for (const alert of matcher.pushLine(text)) print(alert);
}
for (const alert of matcher.flush()) print(alert);

const s = matcher.stats();
const n = set.rules.length;
console.error(`${n} rule${n === 1 ? '' : 's'}, ${s.eventsSeen} events, ${s.alerts} alerts, ${s.errors} errors, ${s.late} late`);
