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
//   node check.mjs DEPS same-string QUOTED RAW
//       QUOTED, read as a YAML scalar and as a JSON string, is RAW
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
} else if (cmd === 'same-string') {
  const q = fs.readFileSync(args[0], 'utf8');
  const raw = fs.readFileSync(args[1], 'utf8');
  const asYaml = YAML.parse(q);
  const asJson = JSON.parse(q);
  if (asYaml !== raw || asJson !== raw) {
    console.error(`yaml ${JSON.stringify(asYaml)} json ${JSON.stringify(asJson)}`
      + ` want ${JSON.stringify(raw)}`);
    process.exit(1);
  }
} else {
  console.error('usage: check.mjs DEPS secret-values|env|keys|same-string ...');
  process.exit(64);
}
