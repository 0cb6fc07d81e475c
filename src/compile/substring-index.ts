/**
 * Aho-Corasick: which of many keys occur in a text, in one pass over the text
 * whatever the number of keys. Keys and texts are compared by UTF-16 code
 * unit; callers fold case beforehand.
 */

interface Node {
  readonly next: Map<number, Node>;
  fail: Node | null;
  /** Ids of keys ending here, including those reached through fail links. */
  out: number[];
}

const newNode = (): Node => ({ next: new Map(), fail: null, out: [] });

export class SubstringIndex {
  private readonly root: Node = newNode();
  private linked = false;

  /** Adds a key (non-empty) with an id. */
  add(key: string, id: number): void {
    if (key === '') throw new RangeError('SubstringIndex: empty key');
    let node = this.root;
    for (let k = 0; k < key.length; k++) {
      const c = key.charCodeAt(k);
      let child = node.next.get(c);
      if (!child) {
        child = newNode();
        node.next.set(c, child);
      }
      node = child;
    }
    node.out.push(id);
    this.linked = false;
  }

  /** Breadth-first failure links, with outputs merged along them. */
  private link(): void {
    const queue: Node[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [c, child] of node.next) {
        let f = node.fail;
        while (f && !f.next.has(c)) f = f.fail;
        child.fail = f ? f.next.get(c)! : this.root;
        if (child.fail.out.length > 0) child.out = [...child.out, ...child.fail.out];
        queue.push(child);
      }
    }
    this.linked = true;
  }

  /**
   * Calls `found` with the id of every key occurrence in `text` (an id may
   * come more than once). Stops early when `found` returns true.
   */
  scan(text: string, found: (id: number) => boolean | void): void {
    if (!this.linked) this.link();
    let node = this.root;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      while (node !== this.root && !node.next.has(c)) node = node.fail!;
      node = node.next.get(c) ?? this.root;
      for (const id of node.out) if (found(id) === true) return;
    }
  }
}
