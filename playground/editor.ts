/**
 * A plain textarea over a backdrop that repeats its text with marks: the
 * error's place (what the code frame's caret covers) and, on hover, the
 * clause of an explanation. The textarea keeps editing, undo and the
 * clipboard as the browser gives them.
 */
import { h } from './dom.js';

export interface Mark {
  /** 0-based offsets in the text, end excluded. */
  readonly start: number;
  readonly end: number;
  readonly kind: 'error' | 'clause';
}

/** The 0-based offset of a 1-based line and column, with line breaks counted as the library counts them (LF, CRLF, CR). */
export function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const lf = text.indexOf('\n', at);
    const cr = text.indexOf('\r', at);
    if (lf < 0 && cr < 0) return text.length;
    if (cr >= 0 && (lf < 0 || cr < lf)) at = text[cr + 1] === '\n' ? cr + 2 : cr + 1;
    else at = lf + 1;
  }
  return Math.min(text.length, at + column - 1);
}

export class Editor {
  private readonly marks = new Map<Mark['kind'], Mark>();

  constructor(
    readonly textarea: HTMLTextAreaElement,
    private readonly backdrop: HTMLElement,
  ) {
    textarea.addEventListener('input', () => this.draw());
    textarea.addEventListener('scroll', () => this.syncScroll());
  }

  get text(): string {
    return this.textarea.value;
  }

  set text(value: string) {
    this.textarea.value = value;
    this.marks.clear();
    this.draw();
  }

  mark(kind: Mark['kind'], range: { start: number; end: number } | null): void {
    if (range === null) this.marks.delete(kind);
    else this.marks.set(kind, { kind, start: range.start, end: Math.max(range.end, range.start + 1) });
    this.draw();
  }

  /** Puts the caret at an offset and brings it into view. */
  focusAt(offset: number): void {
    const area = this.textarea;
    area.focus();
    area.setSelectionRange(offset, offset);
    // A textarea does not always scroll to a caret placed by script: a few lines above it come into view.
    const line = area.value.slice(0, offset).split(/\r\n|\r|\n/).length;
    const height = Number.parseFloat(getComputedStyle(area).lineHeight) || 19;
    area.scrollTop = Math.max(0, (line - 3) * height);
    this.syncScroll();
  }

  private draw(): void {
    const text = this.text;
    const marks = [...this.marks.values()].filter((m) => m.start <= text.length).sort((a, b) => a.start - b.start);
    const parts: Node[] = [];
    let at = 0;
    for (const m of marks) {
      const start = Math.max(m.start, at);
      if (start > at) parts.push(document.createTextNode(text.slice(at, start)));
      // Past the end (a missing closing bracket), the mark is a space after the text.
      const end = Math.min(m.end, text.length);
      parts.push(h('mark', { class: m.kind, 'data-start': start, 'data-end': end }, end > start ? text.slice(start, end) : ' '));
      at = Math.max(at, end);
    }
    parts.push(document.createTextNode(`${text.slice(at)}\n`));
    this.backdrop.replaceChildren(...parts);
    this.syncScroll();
  }

  private syncScroll(): void {
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
  }
}
