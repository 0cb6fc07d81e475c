/**
 * Aho-Corasick: which of many keys occur in a text, in one pass over the text
 * whatever the number of keys. Keys and texts are compared by UTF-16 code
 * unit; callers fold case beforehand.
 *
 * Keys are only listed as they are added. Before the first scan they are
 * gathered in a trie, which becomes a complete automaton (every state has a
 * move for every character that occurs in some key, all other characters
 * lead back to the start), held in typed arrays, so a scan costs one table
 * read per character of the text. The trie is dropped then: rules that are
 * loaded and never run (`eqlkit check`) built tens of thousands of its nodes
 * over the corpus, and held them.
 */

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  readonly id: number;
  /** Ids of keys ending here. */
  readonly keys: number[];
}

/** The automaton: moves by (state, symbol), and the key ids each state completes. */
interface Automaton {
  /** Symbol of each ASCII code unit; 0 for those in no key. */
  readonly asciiSymbols: Uint16Array;
  /** Symbols of the other code units that occur in keys. */
  readonly otherSymbols: Map<number, number>;
  /** symbols + 1 (symbol 0 is "in no key"). */
  readonly width: number;
  readonly moves: Int32Array;
  /** Per state, the ids of keys that end at it (through failure links too), or null. */
  readonly found: (readonly number[] | null)[];
}

export class SubstringIndex {
  private readonly keys: string[] = [];
  private readonly ids: number[] = [];
  private automaton: Automaton | null = null;

  /** Adds a key (non-empty) with an id. */
  add(key: string, id: number): void {
    if (key === '') throw new RangeError('SubstringIndex: empty key');
    this.keys.push(key);
    this.ids.push(id);
    this.automaton = null;
  }

  private trie(): TrieNode[] {
    const nodes: TrieNode[] = [];
    const newNode = (): TrieNode => {
      const node: TrieNode = { next: new Map(), id: nodes.length, keys: [] };
      nodes.push(node);
      return node;
    };
    newNode();
    this.keys.forEach((key, i) => {
      let node = nodes[0]!;
      for (let k = 0; k < key.length; k++) {
        const c = key.charCodeAt(k);
        let child = node.next.get(c);
        if (!child) {
          child = newNode();
          node.next.set(c, child);
        }
        node = child;
      }
      node.keys.push(this.ids[i]!);
    });
    return nodes;
  }

  /** Breadth-first failure links, folded into a full move table. */
  private build(): Automaton {
    const nodes = this.trie();
    const asciiSymbols = new Uint16Array(128);
    const otherSymbols = new Map<number, number>();
    let symbols = 0;
    for (const node of nodes) {
      for (const c of node.next.keys()) {
        if (c < 128 ? asciiSymbols[c] === 0 : !otherSymbols.has(c)) {
          symbols++;
          if (c < 128) asciiSymbols[c] = symbols;
          else otherSymbols.set(c, symbols);
        }
      }
    }
    const width = symbols + 1;
    const symbolOf = (c: number) => (c < 128 ? asciiSymbols[c]! : otherSymbols.get(c)!);
    const moves = new Int32Array(nodes.length * width);
    const fail = new Int32Array(nodes.length);
    const found: (number[] | null)[] = nodes.map((n) => (n.keys.length > 0 ? [...n.keys] : null));
    // The start state: its children, and back to itself on everything else (already 0).
    const queue: TrieNode[] = [];
    for (const [c, child] of nodes[0]!.next) {
      moves[symbolOf(c)] = child.id;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      const f = fail[node.id]!;
      const outOfFail = found[f];
      if (outOfFail) found[node.id] = [...(found[node.id] ?? []), ...outOfFail];
      // Moves not in the trie are those of the failure state, which is shallower and done.
      const row = node.id * width;
      moves.set(moves.subarray(f * width, f * width + width), row);
      for (const [c, child] of node.next) {
        const s = symbolOf(c);
        fail[child.id] = moves[f * width + s]!;
        moves[row + s] = child.id;
        queue.push(child);
      }
    }
    return { asciiSymbols, otherSymbols, width, moves, found };
  }

  /**
   * Calls `found` with the id of every key occurrence in `text` (an id may
   * come more than once). Stops early when `found` returns true.
   */
  scan(text: string, found: (id: number) => boolean | void): void {
    const a = (this.automaton ??= this.build());
    const { asciiSymbols, otherSymbols, width, moves } = a;
    const out = a.found;
    let state = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      const symbol = c < 128 ? asciiSymbols[c]! : (otherSymbols.get(c) ?? 0);
      state = moves[state * width + symbol]!;
      const ids = out[state];
      if (ids) for (let i = 0; i < ids.length; i++) if (found(ids[i]!) === true) return;
    }
  }
}
