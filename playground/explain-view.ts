/**
 * An explanation (what `explain()` returns) as HTML: each condition a tree of
 * ✓ and ✗ with the values it read, each key's stages with the events that
 * filled them, the closest candidates for a stage not filled, and why a
 * sequence or sample did not come about. Hovering over a clause marks it in
 * the editor.
 */
import type {
  Candidate,
  ClauseTrace,
  EventQueryExplanation,
  ExplainedEvent,
  Explanation,
  FilterTrace,
  Location,
  SampleExplanation,
  SequenceDropReason,
  SequenceExplanation,
  SequenceKeyTrace,
  StageSummary,
} from '../src/browser.js';
import { type Child, h, jsonText, plural } from './dom.js';

export interface ExplainViewHooks {
  /** A clause's place in the query is pointed at (null: no longer). */
  readonly onClause: (location: Location | null) => void;
}

const mark = (result: boolean): HTMLElement => h('span', { class: result ? 'yes' : 'no' }, result ? '✓' : '✗');

function eventView(e: ExplainedEvent): HTMLElement {
  return h('details', { class: 'event' }, h('summary', {}, `event #${e.index}`, e.time ? ` (${e.time})` : ''), h('pre', {}, JSON.stringify(e.event, null, 2)));
}

const eventName = (e: ExplainedEvent): string => `event #${e.index}${e.time ? ` (${e.time})` : ''}`;

const keyText = (key: readonly unknown[]): string => (key.length === 1 ? jsonText(key[0]) : jsonText(key));

class View {
  constructor(private readonly hooks: ExplainViewHooks) {}

  clause(node: ClauseTrace): HTMLElement {
    const self = h(
      'span',
      { class: 'clause', tabindex: 0, title: `line ${node.location.start.line}, column ${node.location.start.column}` },
      mark(node.result),
      ' ',
      node.kind === 'leaf' ? node.text : node.kind,
    );
    self.addEventListener('mouseenter', () => this.hooks.onClause(node.location));
    self.addEventListener('focus', () => this.hooks.onClause(node.location));
    self.addEventListener('mouseleave', () => this.hooks.onClause(null));
    self.addEventListener('blur', () => this.hooks.onClause(null));
    if (node.kind === 'leaf') {
      const seen = node.values.map((v) => (v.absent ? `${v.field} absent` : `${v.field} = ${jsonText(v.value, 80)}`)).join(', ');
      return h('li', { class: node.result ? 'held' : 'failed' }, self, seen ? h('span', { class: 'seen' }, ` seen: ${seen}`) : null);
    }
    return h('li', { class: node.result ? 'held' : 'failed' }, self, h('ul', {}, ...node.operands.map((o) => this.clause(o))));
  }

  filter(trace: FilterTrace): HTMLElement {
    const c = trace.category;
    return h(
      'ul',
      { class: 'tree' },
      c ? h('li', { class: c.result ? 'held' : 'failed' }, mark(c.result), ` category ${c.expected}`, h('span', { class: 'seen' }, ` seen: ${c.field} = ${jsonText(c.value, 80)}`)) : null,
      this.clause(trace.condition),
    );
  }

  candidates(list: readonly Candidate[]): HTMLElement {
    return h(
      'ul',
      { class: 'candidates' },
      ...list.map((cand) => {
        const misses = cand.filter.failed.length + (cand.filter.category && !cand.filter.category.result ? 1 : 0);
        return h('li', {}, eventView(cand.event), misses === 0 ? ' matches the stage' : ` ${plural(misses, 'clause')} failed`, this.filter(cand.filter));
      }),
    );
  }
}

const stageName = (s: { stage: number; run: number }, stages: readonly StageSummary[]): string => {
  const runs = stages[s.stage]?.runs ?? 1;
  return `stage ${s.stage + 1}${runs > 1 ? ` (run ${s.run + 1} of ${runs})` : ''}`;
};

function dropText(r: SequenceDropReason, k: SequenceKeyTrace, stages: readonly StageSummary[]): string {
  const next = k.next ? stageName(k.next, stages) : 'the next stage';
  const last = k.filled[k.filled.length - 1];
  switch (r.kind) {
    case 'no-event':
      if (k.next?.considered === 0) return last ? `no event with this key comes after ${eventName(last.event)}` : 'no event has this key';
      return last ? `no event with this key after ${eventName(last.event)} matches ${next}` : `no event with this key matches ${next}`;
    case 'maxspan':
      return `${eventName(r.event)} matches ${next}, but ${r.elapsed} after the first filled stage: more than maxspan=${r.maxspan}`;
    case 'until':
      return `until: ${eventName(r.event)} ended the partial sequence`;
    case 'missing-event':
      return r.event ? `missing-event stage ${r.stage + 1} matched: ${eventName(r.event)}` : `a missing-event stage (stage ${r.stage + 1} first) matched`;
    case 'evicted':
      return `its state was dropped before the sequence completed${r.window ? ` (look-back ${r.window})` : ''}`;
    case 'pipe':
      return `matched, but the query's pipes (${r.pipes}) leave it out`;
  }
}

function stagesList(stages: readonly StageSummary[], until: string | null): HTMLElement {
  return h(
    'div',
    { class: 'stages' },
    h('ol', {}, ...stages.map((s) => h('li', {}, h('code', {}, `${s.missing ? '!' : ''}[${s.text}]${s.runs > 1 ? ` with runs=${s.runs}` : ''}`)))),
    until ? h('p', { class: 'until' }, 'until ', h('code', {}, `[${until}]`)) : null,
  );
}

function events(view: View, e: EventQueryExplanation): Child[] {
  return e.events.map((v) =>
    h(
      'section',
      { class: `verdict ${v.matched ? 'matched' : 'unmatched'}` },
      h('h3', {}, mark(v.matched), ` ${eventName(v.event)}: ${v.matched ? 'matched' : 'no match'}`, v.note ? ` (${v.note})` : ''),
      eventView(v.event),
      view.filter(v.filter),
    ),
  );
}

function sequence(view: View, e: SequenceExplanation): Child[] {
  const out: Child[] = [stagesList(e.stages, e.until), e.maxspan ? h('p', {}, `maxspan=${e.maxspan}`) : null];
  for (const k of e.keys) {
    out.push(
      h(
        'section',
        { class: `verdict ${k.matched ? 'matched' : 'unmatched'}`, 'data-key': JSON.stringify(k.key) },
        h('h3', {}, mark(k.matched), ` key ${keyText(k.key)}: `, k.matched ? `matched${k.matches > 1 ? ` (${k.matches} sequences)` : ''}` : `no match, ${k.reached} of ${k.of} stages filled`),
        h('ul', { class: 'filled' }, ...k.filled.map((f) => h('li', {}, mark(true), ` ${stageName(f, e.stages)}: `, eventView(f.event)))),
        k.reason ? h('p', { class: 'reason' }, mark(false), ` ${dropText(k.reason, k, e.stages)}`) : null,
        k.next && k.next.candidates.length > 0
          ? h(
              'div',
              {},
              h('p', {}, `Closest candidates for ${stageName(k.next, e.stages)} (${plural(k.next.considered, 'event')} with this key${k.filled.length > 0 ? ' after the last filled stage' : ''}):`),
              view.candidates(k.next.candidates),
            )
          : null,
      ),
    );
  }
  if (e.keys.length === 0) out.push(h('p', {}, 'No key filled the first stage.'));
  return out;
}

function sample(view: View, e: SampleExplanation): Child[] {
  const out: Child[] = [stagesList(e.stages, null)];
  for (const k of e.keys) {
    const r = k.reason;
    const why = !r
      ? ''
      : r.kind === 'no-event'
        ? `: no event with this key matches stage ${r.stage + 1}`
        : r.kind === 'same-event'
          ? ': too few distinct events to give each stage its own'
          : `: the pipes (${r.pipes}) leave it out`;
    out.push(
      h(
        'section',
        { class: `verdict ${k.matched ? 'matched' : 'unmatched'}`, 'data-key': JSON.stringify(k.key) },
        h('h3', {}, mark(k.matched), ` key ${keyText(k.key)}: ${k.matched ? 'matched' : `no sample${why}`}`),
        h(
          'ul',
          { class: 'filled' },
          ...k.stages.map((s) =>
            s.matching > 0
              ? h('li', {}, mark(true), ` stage ${s.stage + 1}: `, ...s.events.map(eventView), s.matching > s.events.length ? ` and ${s.matching - s.events.length} more` : '')
              : h('li', {}, mark(false), ` stage ${s.stage + 1}: no event with this key matches`, s.candidates.length > 0 ? view.candidates(s.candidates) : null),
          ),
        ),
      ),
    );
  }
  if (e.keys.length === 0) out.push(h('p', {}, 'No key matched any stage.'));
  return out;
}

export function renderExplanation(e: Explanation, hooks: ExplainViewHooks): HTMLElement {
  const view = new View(hooks);
  const rule = e.source.rule;
  const what = rule ? 'alert' : 'result';
  const head: Child[] = [
    h('p', { class: 'summary' }, rule ? `Rule ${rule.name}: ` : '', `${plural(e.eventCount, 'event')}, ${plural(e.resultCount, what)}.`),
    e.unusableCount > 0
      ? h('details', {}, h('summary', {}, `${plural(e.unusableCount, 'event')} could not be used`), h('ul', {}, ...e.unusable.map((u) => h('li', {}, `event #${u.index}: ${u.reason}`))))
      : null,
  ];
  const body = e.kind === 'event' ? events(view, e) : e.kind === 'sequence' ? sequence(view, e) : sample(view, e);
  const more = e.omitted > 0 ? h('p', { class: 'omitted' }, `${plural(e.omitted, e.kind === 'event' ? 'more event' : 'more key')} not shown: select a row, or name one.`) : null;
  return h('div', { class: `explanation ${e.kind}` }, ...head, ...body, more);
}
