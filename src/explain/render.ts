/**
 * An explanation as readable text: each condition a tree with ✓ and ✗, each
 * leaf with the values it read; each key's stages, what filled them, and the
 * closest candidates for the one that was not filled.
 */
import type { Location } from '../parser/ast.js';
import type {
  Candidate,
  ClauseTrace,
  EventQueryExplanation,
  ExplainedEvent,
  Explanation,
  FilterTrace,
  NextStage,
  OtherKeyCandidate,
  PassedOverEvent,
  SampleExplanation,
  SequenceDropReason,
  SequenceExplanation,
  SequenceKeyTrace,
  StageSummary,
  UnkeyedStage,
} from './types.js';

export interface RenderOptions {
  /** How an event is named, from its 0-based position: `event #3` by default; the command line gives its line, or file and line. */
  readonly describe?: (index: number) => string;
}

const YES = '✓';
const NO = '✗';
/** Longer node texts and values are cut, so that one long `in` list does not bury the tree. */
const MAX_TEXT = 120;
const MAX_VALUE = 80;

const mark = (result: boolean): string => (result ? YES : NO);

function cut(text: string, max: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

function valueText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return cut(text, MAX_VALUE);
}

const at = (l: Location): string => `${l.start.line}:${l.start.column}`;

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

class Writer {
  readonly lines: string[] = [];
  constructor(readonly describe: (index: number) => string) {}

  line(indent: number, text: string): void {
    this.lines.push(`${'  '.repeat(indent)}${text}`);
  }

  event(e: ExplainedEvent): string {
    return `${this.describe(e.index)}${e.time ? ` (${e.time})` : ''}`;
  }

  clause(node: ClauseTrace, indent: number): void {
    if (node.kind === 'leaf') {
      const values = node.values.map((v) => (v.absent ? `${v.field} absent` : `${v.field} = ${valueText(v.value)}`)).join(', ');
      this.line(indent, `${mark(node.result)} ${cut(node.text, MAX_TEXT)}  (${at(node.location)})${values ? `  seen: ${values}` : ''}`);
      return;
    }
    this.line(indent, `${mark(node.result)} ${node.kind}  (${at(node.location)})`);
    for (const o of node.operands) this.clause(o, indent + 1);
  }

  filter(trace: FilterTrace, indent: number): void {
    const c = trace.category;
    if (c) this.line(indent, `${mark(c.result)} category ${c.expected}  seen: ${c.field} = ${valueText(c.value)}`);
    this.clause(trace.condition, indent);
  }

  /** The clauses that failed, and the category when it did not hold. */
  failed(trace: FilterTrace, indent: number): void {
    const c = trace.category;
    if (c && !c.result) this.line(indent, `${NO} category ${c.expected}  seen: ${c.field} = ${valueText(c.value)}`);
    for (const f of trace.failed) this.clause(f, indent);
  }

  candidates(list: readonly Candidate[], indent: number): void {
    for (const cand of list) {
      this.line(indent, `${this.event(cand.event)}: ${closeness(cand.filter)}`);
      this.failed(cand.filter, indent + 1);
    }
  }

  /** Events under other keys: where each key differs, and how close it came. */
  otherKeys(list: readonly OtherKeyCandidate[], indent: number): void {
    for (const cand of list) {
      const differs = cand.differs.map((d) => `${d.field} = ${valueText(d.value)}, not ${valueText(d.expected)}`).join(', ');
      this.line(indent, `${this.event(cand.event)}: ${differs}; ${closeness(cand.filter)}`);
      this.failed(cand.filter, indent + 1);
    }
  }

  /** Events a partial sequence passed over: the stage each would have filled, and why it did not. */
  passedOver(list: readonly PassedOverEvent[], next: NextStage | null, stages: readonly StageSummary[], indent: number): void {
    for (const p of list) {
      const until = p.until ? `, but until: ${this.event(p.until)} came before the next filled stage` : '';
      const early = p.matchesNextStage && next ? `; it matches ${stageName(next, stages)}, but comes before the last filled stage` : '';
      this.line(indent, `${this.event(p.event)}, for ${stageName(p, stages)}: ${closeness(p.filter)}${until}${early}`);
      this.failed(p.filter, indent + 1);
    }
  }

  /** Events left out of stages for want of a key value. */
  unkeyed(list: readonly UnkeyedStage[]): void {
    for (const u of list) {
      this.line(0, '');
      const among = u.considered < u.withoutKey ? `, among the first ${plural(u.considered, 'event')} of ${u.withoutKey.toLocaleString('en-US')} without one` : '';
      this.line(
        0,
        `stage ${u.stage + 1}: ${plural(u.count, 'event')} left out for want of a join key value (${u.count === 1 ? 'it matches' : 'each matches'} the stage, or fails only on that value${among}):`,
      );
      for (const x of u.events) {
        this.line(1, `${this.event(x.event)}: no ${x.fields.join(', no ')}; ${closeness(x.filter)}`);
        this.failed(x.filter, 2);
      }
      if (u.count > u.events.length) this.line(1, `and ${plural(u.count - u.events.length, 'more event')}`);
    }
  }
}

/** How close a filter came on an event: it holds, or how many clauses failed (the category counted as one). */
function closeness(trace: FilterTrace): string {
  const misses = trace.failed.length + (trace.category && !trace.category.result ? 1 : 0);
  return misses === 0 ? 'matches the stage' : `${plural(misses, 'clause')} failed`;
}

function header(w: Writer, e: Explanation): void {
  const rule = e.source.rule;
  if (rule) w.line(0, `rule: ${rule.name} (${rule.ruleId})${rule.file ? ` in ${rule.file}` : ''}`);
  // Numbered, as clauses give their place in it as line:column.
  const lines = e.source.query.replace(/\s+$/, '').split('\n');
  const width = String(lines.length).length;
  w.line(0, 'query:');
  lines.forEach((l, i) => {
    w.line(1, `${String(i + 1).padStart(width)} | ${l}`.trimEnd());
  });
  w.line(0, `${plural(e.eventCount, 'event')}, ${plural(e.resultCount, e.source.rule ? 'alert' : 'result')}`);
  if (e.unusableCount > 0) {
    w.line(0, `${plural(e.unusableCount, 'event')} could not be used:`);
    for (const u of e.unusable) w.line(1, `${w.describe(u.index)}: ${u.reason}`);
  }
}

function renderEvents(w: Writer, e: EventQueryExplanation): void {
  for (const v of e.events) {
    w.line(0, '');
    w.line(0, `${w.event(v.event)}: ${v.matched ? 'matched' : 'no match'}${v.note ? ` (${v.note})` : ''}`);
    w.filter(v.filter, 1);
  }
  if (e.omitted > 0) w.line(0, `\n${plural(e.omitted, 'more event')} not shown (raise the limit, or name one event)`);
}

const stageName = (s: { stage: number; run: number }, stages: readonly StageSummary[]): string =>
  `stage ${s.stage + 1}${stages[s.stage]!.runs > 1 ? ` (run ${s.run + 1} of ${stages[s.stage]!.runs})` : ''}`;

const keyText = (key: readonly unknown[]): string => (key.length === 1 ? valueText(key[0]) : valueText(key));

function dropText(w: Writer, r: SequenceDropReason, k: SequenceKeyTrace, stages: readonly StageSummary[]): string {
  switch (r.kind) {
    case 'no-event': {
      const last = k.filled[k.filled.length - 1];
      const next = k.next ? stageName(k.next, stages) : 'the next stage';
      if (k.next?.considered === 0) return last ? `no event with this key comes after ${w.event(last.event)}` : 'no event has this key';
      return last ? `no event with this key after ${w.event(last.event)} matches ${next}` : `no event with this key matches ${next}`;
    }
    case 'maxspan':
      return `${w.event(r.event)} matches ${k.next ? stageName(k.next, stages) : 'the next stage'}, but ${r.elapsed} after the first filled stage: more than maxspan=${r.maxspan}`;
    case 'until':
      return `until: ${w.event(r.event)} ended the partial sequence`;
    case 'missing-event':
      return r.event ? `missing-event stage ${r.stage + 1} matched: ${w.event(r.event)}` : `a missing-event stage matched (the engine dropped every candidate; stage ${r.stage + 1} is the first)`;
    case 'evicted':
      return `its state was dropped before the sequence completed: a stream keeps it for the rule's look-back${r.window ? ` (${r.window})` : ''} and a bounded number of partial sequences`;
    case 'pipe':
      return `matched, but the query's pipes (${r.pipes}) leave it out`;
  }
}

function renderSequence(w: Writer, e: SequenceExplanation): void {
  e.stages.forEach((s) => {
    w.line(1, `stage ${s.stage + 1}: ${s.missing ? '!' : ''}[${cut(s.text, MAX_TEXT)}]${s.runs > 1 ? ` with runs=${s.runs}` : ''}`);
  });
  if (e.until) w.line(1, `until: [${cut(e.until, MAX_TEXT)}]`);
  w.unkeyed(e.unkeyed);
  for (const k of e.keys) {
    w.line(0, '');
    w.line(0, `key ${keyText(k.key)}: ${k.matched ? `matched${k.matches > 1 ? ` (${k.matches} sequences)` : ''}` : `no match, ${k.reached} of ${k.of} stages filled`}`);
    for (const f of k.filled) w.line(1, `${YES} ${stageName(f, e.stages)}: ${w.event(f.event)}`);
    if (k.reason) w.line(1, `${NO} ${dropText(w, k.reason, k, e.stages)}`);
    if (k.next && k.next.candidates.length > 0) {
      w.line(1, `closest candidates for ${stageName(k.next, e.stages)} (${plural(k.next.considered, 'event')} with this key${k.filled.length > 0 ? ' after the last filled stage' : ''}):`);
      w.candidates(k.next.candidates, 2);
    }
    if (k.next && k.next.otherKeyCandidates.length > 0) {
      w.line(1, `under other keys, closest for ${stageName(k.next, e.stages)} (of ${plural(k.next.otherKeyConsidered, 'event')} after the last filled stage${e.maxspan ? ', within maxspan' : ''}):`);
      w.otherKeys(k.next.otherKeyCandidates, 2);
    }
    if (k.passedOver.length > 0) {
      w.line(1, 'passed over, events with this key before the last filled stage:');
      w.passedOver(k.passedOver, k.next, e.stages, 2);
    }
  }
  if (e.keys.length === 0) w.line(0, '\nno key filled the first stage');
  if (e.omitted > 0) w.line(0, `\n${plural(e.omitted, 'more key')} not shown (raise the limit, or name one key)`);
}

function renderSample(w: Writer, e: SampleExplanation): void {
  e.stages.forEach((s) => {
    w.line(1, `stage ${s.stage + 1}: [${cut(s.text, MAX_TEXT)}]`);
  });
  w.unkeyed(e.unkeyed);
  for (const k of e.keys) {
    w.line(0, '');
    const r = k.reason;
    const why = !r
      ? ''
      : r.kind === 'no-event'
        ? `: no event with this key matches stage ${r.stage + 1}`
        : r.kind === 'same-event'
          ? ': too few distinct events to give each stage its own'
          : `: the query's pipes (${r.pipes}) leave it out`;
    w.line(0, `key ${keyText(k.key)}: ${k.matched ? 'matched' : `no sample${why}`}`);
    for (const s of k.stages) {
      if (s.matching > 0) {
        w.line(1, `${YES} stage ${s.stage + 1}: ${s.events.map((x) => w.event(x)).join(', ')}${s.matching > s.events.length ? ` and ${s.matching - s.events.length} more` : ''}`);
      } else {
        w.line(1, `${NO} stage ${s.stage + 1}: no event with this key matches${s.candidates.length > 0 ? '; closest candidates:' : ''}`);
        w.candidates(s.candidates, 2);
        if (s.otherKeyCandidates.length > 0) {
          w.line(2, `under other keys, closest (of ${plural(s.otherKeyConsidered, 'event')}):`);
          w.otherKeys(s.otherKeyCandidates, 3);
        }
      }
    }
  }
  if (e.keys.length === 0) w.line(0, '\nno key matched any stage');
  if (e.omitted > 0) w.line(0, `\n${plural(e.omitted, 'more key')} not shown (raise the limit, or name one key)`);
}

/** An explanation as text, one line per node, event or stage. */
export function renderExplanation(e: Explanation, options: RenderOptions = {}): string {
  const w = new Writer(options.describe ?? ((i) => `event #${i}`));
  header(w, e);
  switch (e.kind) {
    case 'event':
      renderEvents(w, e);
      break;
    case 'sequence':
      renderSequence(w, e);
      break;
    case 'sample':
      renderSample(w, e);
      break;
  }
  return `${w.lines.join('\n')}\n`;
}
