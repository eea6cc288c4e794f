// markdown.mjs: the runbooks and the code-span filter, read by the npm
// packages commonmark and mermaid (with jsdom for the DOM mermaid wants).
//
//   node markdown.mjs DIR runbook FILE.md...
//       every file parses as CommonMark and each ```mermaid block parses
//       as a Mermaid diagram
//   node markdown.mjs DIR code-span QUOTED RAW
//       "x QUOTED y" holds one code span whose text is RAW
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [dir, cmd, ...args] = process.argv.slice(2);
const req = createRequire(path.join(path.resolve(dir), 'noop.js'));
const commonmark = req('commonmark');

function blocks(text, info) {
  const out = [];
  const walker = new commonmark.Parser().parse(text).walker();
  for (let e; (e = walker.next());) {
    if (e.entering && e.node.type === 'code_block' && e.node.info === info)
      out.push(e.node.literal);
  }
  return out;
}

if (cmd === 'runbook') {
  const { JSDOM } = req('jsdom');
  const dom = new JSDOM('');
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  const { default: mermaid } = await import(pathToFileURL(
    req.resolve('mermaid')).href);
  let bad = 0;
  for (const f of args) {
    const diagrams = blocks(fs.readFileSync(f, 'utf8'), 'mermaid');
    if (diagrams.length === 0) {
      console.error(`${f}: no mermaid diagram`);
      bad = 1;
    }
    for (const d of diagrams) {
      try {
        await mermaid.parse(d);
      } catch (e) {
        console.error(`${f}: mermaid: ${e.message}`);
        bad = 1;
      }
    }
  }
  process.exit(bad);
} else if (cmd === 'code-span') {
  const q = fs.readFileSync(args[0], 'utf8');
  const raw = fs.readFileSync(args[1], 'utf8');
  const doc = new commonmark.Parser().parse(`x ${q} y\n`);
  const codes = [];
  const walker = doc.walker();
  for (let e; (e = walker.next());)
    if (e.entering && e.node.type === 'code') codes.push(e.node.literal);
  if (codes.length !== 1 || codes[0] !== raw) {
    console.error(`got ${JSON.stringify(codes)}, want ${JSON.stringify(raw)}`);
    process.exit(1);
  }
} else {
  console.error('usage: markdown.mjs DIR runbook|code-span ...');
  process.exit(64);
}
