// vectors.mjs: writes the age test vectors of npm cctv-age into a folder.
//
//   node vectors.mjs NPMDIR OUTDIR
//
// OUTDIR/raw/NAME      the vector file exactly as published
// OUTDIR/cases/NAME.head  its "key: value" header lines
// OUTDIR/cases/NAME.age   its age file, inflated when it is compressed
// OUTDIR/cases/LIST    the names, one a line, sorted
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";
import path from "node:path";

const [npmdir, outdir] = process.argv.slice(2);
const req = createRequire(path.resolve(npmdir, "package.json"));
const vectors = await import(pathToFileURL(req.resolve("cctv-age")).href);

mkdirSync(path.join(outdir, "raw"), { recursive: true });
mkdirSync(path.join(outdir, "cases"), { recursive: true });
const names = Object.keys(vectors).filter((k) => k !== "default").sort();
for (const name of names) {
  const raw = Buffer.from(vectors[name]);
  writeFileSync(path.join(outdir, "raw", name), raw);
  const cut = raw.indexOf("\n\n");
  if (cut < 0) throw new Error(`${name}: no blank line after the header`);
  const head = raw.subarray(0, cut + 1).toString("latin1");
  let body = raw.subarray(cut + 2);
  if (/^compressed: zlib$/m.test(head)) body = inflateSync(body);
  writeFileSync(path.join(outdir, "cases", `${name}.head`), head);
  writeFileSync(path.join(outdir, "cases", `${name}.age`), body);
}
writeFileSync(path.join(outdir, "cases", "LIST"), names.join("\n") + "\n");
