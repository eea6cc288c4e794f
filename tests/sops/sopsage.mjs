// sopsage.mjs: decrypts a SOPS YAML file with npm sops-age, an outside
// implementation, and prints it as JSON (two-space indentation).
//
//   node sopsage.mjs NPMDIR FILE KEYFILE
//
// KEYFILE is an age-keygen identity file; its AGE-SECRET-KEY line is used.
// sops-age does not check the MAC: the other decryptors do.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [npmdir, file, keyfile] = process.argv.slice(2);
const req = createRequire(path.resolve(npmdir, "package.json"));
const { decryptSops } = await import(pathToFileURL(req.resolve("sops-age")).href);
const secretKey = readFileSync(keyfile, "utf8").split(/\r?\n/)
  .find((l) => l.startsWith("AGE-SECRET-KEY-"));
const out = await decryptSops({ path: file, secretKey, fileType: "yaml" });
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
