// Parses the query of the bundled rule and prints it in canonical form.
// Run from the repository root after `npm run build`.
import { readFileSync } from 'node:fs';
import { parse, format } from '../dist/index.js';

const file = new URL('../rules/windows/lateral_movement_incoming_wmi.toml', import.meta.url);
const text = readFileSync(file, 'utf8');
const query = /^query = '''\n([\s\S]*?)'''/m.exec(text)?.[1];
if (!query) throw new Error('no query in the bundled rule');
const ast = parse(query);
console.log(`${ast.type} with ${ast.type === 'SequenceQuery' ? ast.stages.length : 1} stage(s):\n`);
console.log(format(ast));
