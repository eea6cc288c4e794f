// agejs.mjs: a minimal command line over npm age-encryption (typage), the
// second outside implementation railgen's age is tested against.
//
//   node agejs.mjs NPMDIR keygen             identity line, then recipient
//   node agejs.mjs NPMDIR encrypt [-a] -r AGE1... [-r ...] < plain > cipher
//   node agejs.mjs NPMDIR encrypt [-a] -p PASSFILE -n LOGN < plain > cipher
//   node agejs.mjs NPMDIR decrypt [-a] -i KEYFILE | -p PASSFILE < in > out
//
// KEYFILE is read as age-keygen writes it; PASSFILE's first line is the
// passphrase.  Any error: message on stderr, exit status 1.
import { readFileSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [npmdir, cmd, ...argv] = process.argv.slice(2);
const req = createRequire(path.resolve(npmdir, "package.json"));
const age = await import(pathToFileURL(req.resolve("age-encryption")).href);

const opt = { armor: false, rcpt: [], keys: [], pass: null, logn: 18 };
for (let i = 0; i < argv.length; i++) {
  switch (argv[i]) {
    case "-a": opt.armor = true; break;
    case "-r": opt.rcpt.push(argv[++i]); break;
    case "-i": opt.keys.push(argv[++i]); break;
    case "-p": opt.pass = readFileSync(argv[++i], "utf8").split("\n")[0]; break;
    case "-n": opt.logn = Number(argv[++i]); break;
    default: throw new Error(`unknown argument ${argv[i]}`);
  }
}

// Writes all of buf to stdout, synchronously (stdout may be a file).
function emit(buf) {
  for (let off = 0; off < buf.length;) off += writeSync(1, buf, off);
}

async function main() {
  const input = () => new Uint8Array(readFileSync(0));
  if (cmd === "keygen") {
    const id = await age.generateX25519Identity();
    emit(Buffer.from(`${id}\n${await age.identityToRecipient(id)}\n`));
  } else if (cmd === "encrypt") {
    const e = new age.Encrypter();
    if (opt.pass !== null) {
      e.setPassphrase(opt.pass);
      e.setScryptWorkFactor(opt.logn);
    }
    for (const r of opt.rcpt) e.addRecipient(r);
    const ct = await e.encrypt(input());
    emit(opt.armor ? Buffer.from(age.armor.encode(ct)) : ct);
  } else if (cmd === "decrypt") {
    const d = new age.Decrypter();
    if (opt.pass !== null) d.addPassphrase(opt.pass);
    for (const f of opt.keys)
      for (const line of readFileSync(f, "utf8").split("\n"))
        if (line !== "" && !line.startsWith("#")) d.addIdentity(line);
    let ct = input();
    if (opt.armor) ct = age.armor.decode(new TextDecoder().decode(ct));
    emit(await d.decrypt(ct));
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
}

main().catch((err) => {
  process.stderr.write(`agejs: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
});
