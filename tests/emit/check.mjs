// check.mjs: YAML questions the emit suite asks, answered by the npm
// "yaml" package (not by railgen's own code).
//
//   node check.mjs DEPS secret-values VALUES.yaml
//       a values file giving every key of `secrets:` a test value,
//       "test-secret-<KEY>-do-not-ship"
//   node check.mjs DEPS env RENDERED.yaml KIND NAME
//       the env value NAME of the first container of the first KIND
//   node check.mjs DEPS keys FILE.yaml
//       checks that FILE parses; prints the top-level keys
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [deps, cmd, ...args] = process.argv.slice(2);
const YAML = createRequire(path.join(path.resolve(deps), 'noop.js'))('yaml');

function docs(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
    return d.toJS();
  }).filter((d) => d);
}

if (cmd === 'secret-values') {
  const values = docs(args[0])[0];
  const out = { secrets: {} };
  for (const k of Object.keys(values.secrets || {}))
    out.secrets[k] = `test-secret-${k}-do-not-ship`;
  process.stdout.write(YAML.stringify(out));
} else if (cmd === 'env') {
  const [file, kind, name] = args;
  const obj = docs(file).find((d) => d.kind === kind);
  const c = obj.spec.template.spec.containers[0];
  const e = (c.env || []).find((x) => x.name === name);
  if (!e) process.exit(1);
  process.stdout.write(e.value);
} else if (cmd === 'keys') {
  for (const d of docs(args[0])) console.log(Object.keys(d).join(' '));
} else {
  console.error('usage: check.mjs DEPS secret-values|env|keys ...');
  process.exit(64);
}
