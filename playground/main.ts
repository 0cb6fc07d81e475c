/**
 * The playground's page: the editor, the events box, the matches and their
 * explanations. The engine runs in a worker (worker.ts); this thread only
 * sends what changed and draws what comes back.
 */
import './style.css';
import type { Location } from '../src/browser.js';
import { append, byId, count, h, jsonText, milliseconds, plural } from './dom.js';
import { Editor, offsetOf } from './editor.js';
import { EXAMPLES, type Example } from './examples.js';
import { renderExplanation } from './explain-view.js';
import type { Diagnostic, EventProblems, EventsInput, ExplainTarget, Request, Response, ResultRow, SourceMode, SourceSummary } from './protocol.js';

/** Events text over this size is held outside the box: a textarea of megabytes makes every keystroke slow. */
const LARGE_TEXT = 256 * 1024;
const SOURCE_DELAY_MS = 150;
const EVENTS_DELAY_MS = 300;

type Pending = { -readonly [K in keyof Omit<Request, 'id'>]: Request[K] };

/**
 * The worker, one request at a time: what changes while one runs is folded
 * into the next (the latest source and events win), so a burst of edits
 * costs one run, not one each.
 */
class Engine {
  private readonly worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private running = false;
  private pending: Pending | null = null;

  constructor(
    private readonly onResponse: (response: Response) => void,
    private readonly onBusy: () => void,
  ) {
    this.worker.onmessage = (message: MessageEvent<Response>) => {
      this.running = false;
      this.onResponse(message.data);
      this.pump();
    };
    this.worker.onerror = (event) => {
      this.running = false;
      this.onResponse({ id: 0, failure: event.message || 'the worker failed' });
      this.pump();
    };
  }

  get busy(): boolean {
    return this.running || this.pending !== null;
  }

  send(part: Pending): void {
    this.pending = { ...this.pending, ...part };
    this.pump();
  }

  private pump(): void {
    if (!this.running && this.pending !== null) {
      const request: Request = { id: this.nextId++, ...this.pending };
      this.pending = null;
      this.running = true;
      this.worker.postMessage(request);
    }
    this.onBusy();
  }
}

const sourceArea = byId<HTMLTextAreaElement>('source');
const editor = new Editor(sourceArea, byId('source-backdrop'));
const sourceStatus = byId('source-status');
const sourceError = byId('source-error');
const eventsArea = byId<HTMLTextAreaElement>('events');
const eventsHeld = byId('events-held');
const eventsStatus = byId('events-status');
const resultsStatus = byId('results-status');
const resultsHead = byId<HTMLTableElement>('results').tHead!;
const resultsBody = byId<HTMLTableElement>('results').tBodies[0]!;
const explanationBox = byId('explanation');
const explainTarget = byId<HTMLInputElement>('explain-target');
const busyNote = byId('busy');
const exampleSelect = byId<HTMLSelectElement>('example');

let mode: SourceMode = 'query';
let summary: SourceSummary | null = null;
/** The events text held outside the box (large pastes), or a file. */
let held: EventsInput | null = null;
/** Where the shown error is in the editor's text, for a click on it to go there. */
let errorOffset: number | null = null;
let sourceTimer: ReturnType<typeof setTimeout> | null = null;
let eventsTimer: ReturnType<typeof setTimeout> | null = null;

const engine = new Engine(apply, showBusy);

/** `data-state` on the body says whether anything is still to come: tests and people can wait for `idle`. */
function showBusy(): void {
  const busy = engine.busy || sourceTimer !== null || eventsTimer !== null;
  document.body.dataset.state = busy ? 'busy' : 'idle';
  busyNote.textContent = busy ? 'working…' : '';
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function problemsList(problems: EventProblems, what: string): HTMLElement | null {
  if (problems.count === 0) return null;
  const more = problems.count - problems.first.length;
  return h(
    'details',
    { class: 'problems-box' },
    h('summary', { class: 'no' }, `${plural(problems.count, 'event')} ${what}`),
    h('ul', { class: 'problems' }, ...problems.first.map((p) => h('li', {}, p)), more > 0 ? h('li', {}, `and ${count(more)} more`) : null),
  );
}

// ---------------------------------------------------------------------------
// The source

function setMode(next: SourceMode): void {
  mode = next;
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) radio.checked = radio.value === next;
}

function sourceChanged(): void {
  if (sourceTimer !== null) clearTimeout(sourceTimer);
  sourceTimer = setTimeout(() => {
    sourceTimer = null;
    engine.send({ source: { mode, text: editor.text } });
  }, SOURCE_DELAY_MS);
  showBusy();
}

function showDiagnostic(d: Diagnostic, text: string): void {
  summary = null;
  sourceStatus.className = 'error';
  sourceStatus.textContent = d.line !== null ? `${d.name} (${d.code}) at line ${d.line}, column ${d.column}` : `${d.name} (${d.code})`;
  sourceError.hidden = false;
  sourceError.textContent = d.message;
  sourceError.dataset.line = d.line === null ? '' : String(d.line);
  sourceError.dataset.column = d.column === null ? '' : String(d.column);
  sourceError.dataset.code = d.code;
  if (d.line !== null && d.column !== null) {
    const start = offsetOf(text, d.line, d.column);
    editor.mark('error', { start, end: start + d.length });
    errorOffset = start;
  } else {
    editor.mark('error', null);
    errorOffset = null;
  }
}

function showSummary(s: SourceSummary): void {
  summary = s;
  sourceError.hidden = true;
  sourceError.textContent = '';
  editor.mark('error', null);
  sourceStatus.className = 'ok';
  sourceStatus.replaceChildren(
    `✓ ${s.rule ? `rule “${s.rule.name}”, ` : ''}${s.kind === 'event' ? 'an event query' : `a ${s.kind}`}`,
    h('details', {}, h('summary', {}, 'canonical form'), h('pre', {}, s.canonical)),
  );
  byId('explain-label').textContent = s.kind === 'event' ? 'Event #' : 'Key';
  explainTarget.placeholder = s.kind === 'event' ? '0' : s.kind === 'sequence' ? '"host-01" or ["a", 1]' : '"host-01"';
}

// ---------------------------------------------------------------------------
// The events

function eventsChanged(): void {
  if (eventsTimer !== null) clearTimeout(eventsTimer);
  eventsTimer = setTimeout(() => {
    eventsTimer = null;
    engine.send({ events: held ?? { kind: 'text', text: eventsArea.value } });
  }, EVENTS_DELAY_MS);
  showBusy();
}

function hold(input: EventsInput, label: string): void {
  held = input;
  eventsArea.value = '';
  eventsArea.hidden = true;
  eventsHeld.hidden = false;
  byId('events-held-text').textContent = `${label}: held outside the box to keep the page quick. Clear to type events again.`;
  if (eventsTimer !== null) clearTimeout(eventsTimer);
  eventsTimer = null;
  engine.send({ events: input });
}

function setEventsText(text: string): void {
  held = null;
  eventsHeld.hidden = true;
  eventsArea.hidden = false;
  eventsArea.value = text;
  if (eventsTimer !== null) clearTimeout(eventsTimer);
  eventsTimer = null;
  engine.send({ events: { kind: 'text', text } });
}

async function takeFile(file: File): Promise<void> {
  const gzip = /\.gz$/i.test(file.name);
  if (gzip || file.size > LARGE_TEXT) hold({ kind: 'file', file }, `${file.name} (${bytesText(file.size)})`);
  else setEventsText(await file.text());
}

// ---------------------------------------------------------------------------
// Results and explanations

function cell(text: string, className?: string): HTMLTableCellElement {
  return h('td', { class: className }, text);
}

const eventsText = (row: ResultRow): string => row.events.map((e) => (e === null ? '(missing)' : `#${e}`)).join(' ');

function showResults(results: NonNullable<Response['results']> | null): void {
  resultsBody.replaceChildren();
  resultsHead.replaceChildren();
  if (results === null) {
    resultsStatus.textContent = 'Nothing runs until the query or rule compiles.';
    return;
  }
  const rule = summary?.rule ?? null;
  const keyed = summary !== null && summary.kind !== 'event';
  const what = rule ? 'alert' : 'match';
  const columns = rule
    ? ['#', 'alert id', 'severity', 'events', ...(keyed ? ['join keys'] : []), 'first event', 'last event']
    : ['#', 'events', ...(keyed ? ['join keys', 'first event', 'last event'] : ['time']), 'event'];
  resultsHead.append(h('tr', {}, ...columns.map((c) => h('th', {}, c))));
  results.rows.forEach((row, i) => {
    const cells = rule
      ? [
          cell(String(i), 'mono'),
          cell(row.id ?? '', 'mono'),
          cell(row.severity ?? ''),
          cell(eventsText(row), 'mono'),
          ...(keyed ? [cell(jsonText(row.joinKeys), 'mono')] : []),
          cell(row.firstTime ?? ''),
          cell(row.lastTime ?? ''),
        ]
      : [
          cell(String(i), 'mono'),
          cell(eventsText(row), 'mono'),
          ...(keyed ? [cell(jsonText(row.joinKeys), 'mono'), cell(row.firstTime ?? ''), cell(row.lastTime ?? '')] : [cell(row.firstTime ?? '')]),
          cell(row.preview, 'preview'),
        ];
    const tr = h('tr', { 'data-row': i });
    append(tr, ...cells);
    tr.addEventListener('click', () => {
      for (const other of resultsBody.querySelectorAll('tr.selected')) other.classList.remove('selected');
      tr.classList.add('selected');
      const first = row.events.find((e) => e !== null);
      explain(row.kind === 'event' && first !== undefined && first !== null ? { kind: 'event', index: first } : { kind: 'key', key: row.joinKeys });
    });
    resultsBody.append(tr);
  });
  const shown = results.rows.length < results.total ? ` (the first ${count(results.rows.length)} shown)` : '';
  resultsStatus.replaceChildren(
    h('span', { id: 'results-count', 'data-total': results.total }, `${plural(results.total, what, rule ? 'alerts' : 'matches')}${shown}`),
    ` in ${milliseconds(results.runMs)}, over ${plural(results.eventCount, 'event')}.`,
    problemsList(results.unusable, 'could not be used (left out, as the engine leaves them)') ?? '',
  );
}

function explain(target: ExplainTarget): void {
  explanationBox.replaceChildren(h('p', { class: 'note' }, 'explaining…'));
  engine.send({ explain: target });
}

function markClause(location: Location | null): void {
  const base = summary?.queryOffset ?? null;
  if (location === null || base === null) editor.mark('clause', null);
  else editor.mark('clause', { start: base + location.start.offset, end: base + location.end.offset });
}

/** What the explain box names: an event's number for an event query, else a key (JSON, or plain text for one value). */
function targetOf(text: string): ExplainTarget | string {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'all' };
  if (summary?.kind === 'event') {
    const n = Number(trimmed.replace(/^#/, ''));
    return Number.isInteger(n) && n >= 0 ? { kind: 'event', index: n } : 'name an event by its number, from 0';
  }
  let value: unknown = trimmed;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // Plain text is the key's one value.
  }
  return { kind: 'key', key: Array.isArray(value) ? value : [value] };
}

// ---------------------------------------------------------------------------
// What the worker says

function apply(response: Response): void {
  if (response.failure) {
    busyNote.textContent = `the engine failed: ${response.failure}`;
    return;
  }
  if (response.events) {
    const e = response.events;
    eventsStatus.replaceChildren(
      h('span', { id: 'events-count', 'data-count': e.count }, plural(e.count, 'event')),
      ` (${bytesText(e.bytes)}) read in ${milliseconds(e.readMs)}.`,
      problemsList(e.unreadable, 'could not be read') ?? '',
    );
    explanationBox.replaceChildren();
  }
  if (response.source) {
    if (response.source.ok) showSummary(response.source.summary);
    else showDiagnostic(response.source.diagnostic, editor.text);
    explanationBox.replaceChildren();
    editor.mark('clause', null);
  }
  if (response.results !== undefined) showResults(response.results);
  if (response.explanation) {
    explanationBox.replaceChildren(response.explanation.ok ? renderExplanation(response.explanation.explanation, { onClause: markClause }) : h('p', { class: 'no' }, response.explanation.message));
  }
  if (response.synthesized) {
    if (response.synthesized.ok) setEventsText(response.synthesized.ndjson);
    else eventsStatus.replaceChildren(h('span', { class: 'no' }, `synthesize: ${response.synthesized.message}`));
  }
}

// ---------------------------------------------------------------------------
// Wiring

function loadExample(example: Example): void {
  setMode(example.mode);
  editor.text = example.source;
  if (sourceTimer !== null) clearTimeout(sourceTimer);
  sourceTimer = null;
  held = null;
  eventsHeld.hidden = true;
  eventsArea.hidden = false;
  eventsArea.value = example.events;
  if (eventsTimer !== null) clearTimeout(eventsTimer);
  eventsTimer = null;
  explainTarget.value = '';
  engine.send({ source: { mode: example.mode, text: example.source }, events: { kind: 'text', text: example.events } });
}

for (const example of EXAMPLES) exampleSelect.append(h('option', { value: example.id }, example.title));
exampleSelect.addEventListener('change', () => {
  const example = EXAMPLES.find((e) => e.id === exampleSelect.value);
  if (example) loadExample(example);
});

sourceArea.addEventListener('input', sourceChanged);
for (const place of [sourceStatus, sourceError]) {
  place.title = 'Go to the mistake';
  place.addEventListener('click', () => {
    if (errorOffset !== null && !sourceError.hidden) editor.focusAt(errorOffset);
  });
}
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
  radio.addEventListener('change', () => {
    if (radio.checked) {
      mode = radio.value as SourceMode;
      sourceChanged();
    }
  });
}

eventsArea.addEventListener('input', eventsChanged);
eventsArea.addEventListener('paste', (event) => {
  const text = event.clipboardData?.getData('text/plain') ?? '';
  if (text.length > LARGE_TEXT) {
    event.preventDefault();
    hold({ kind: 'text', text }, `${bytesText(text.length)} pasted`);
  }
});

const eventsPanel = byId('events-panel');
eventsPanel.addEventListener('dragover', (event) => {
  event.preventDefault();
  eventsPanel.classList.add('dropping');
});
eventsPanel.addEventListener('dragleave', () => eventsPanel.classList.remove('dropping'));
eventsPanel.addEventListener('drop', (event) => {
  event.preventDefault();
  eventsPanel.classList.remove('dropping');
  const file = event.dataTransfer?.files[0];
  if (file) void takeFile(file);
});
byId<HTMLInputElement>('events-file').addEventListener('change', (event) => {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  if (file) void takeFile(file);
  input.value = '';
});
byId('events-clear').addEventListener('click', () => setEventsText(''));
byId('synthesize').addEventListener('click', () => engine.send({ synthesize: true }));

byId<HTMLFormElement>('explain-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const target = targetOf(explainTarget.value);
  if (typeof target === 'string') explanationBox.replaceChildren(h('p', { class: 'no' }, target));
  else explain(target);
});
byId('explain-all').addEventListener('click', () => explain({ kind: 'all' }));

const wanted = new URLSearchParams(location.hash.slice(1)).get('example');
const first = EXAMPLES.find((e) => e.id === wanted) ?? EXAMPLES[0]!;
exampleSelect.value = first.id;
loadExample(first);
