// Compares what the npm installer and cct wrote for one component. Prints one line:
//   match                          the same files, equal JSON values / equal bytes, equal execute bits
//   binary <file,...>              equal but for files npm mangled by decoding binary as text (cct kept the bytes)
//   MISMATCH <reason>, <reason>... anything else
// Usage: node compare.cjs [--same-settings] NPM_ROOT CCT_ROOT [SOURCE_PREFIX SOURCE_DIR]
//   Each root holds project/ (the --directory) and home/ (HOME), compared as "<path>" and "~/<path>".
//   --same-settings   treat .claude/settings.local.json and .claude/settings.json as one name.
//   SOURCE_PREFIX DIR the upstream folder whose files land under SOURCE_PREFIX (a skill), to check that a
//                     "binary" file is cct's copy of the original bytes.
'use strict';
const fs = require('fs');
const path = require('path');
const { isDeepStrictEqual } = require('util');

const args = process.argv.slice(2);
const sameSettings = args[0] === '--same-settings';
if (sameSettings) args.shift();
const [npmRoot, cctRoot, sourcePrefix, sourceDir] = args;

function walk(root) {
  const files = new Map();
  const visit = (dir, shown) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const rel = shown ? `${shown}/${e.name}` : e.name;
      if (e.isDirectory()) visit(full, rel);
      else {
        const key = sameSettings ? rel.replace(/(^|\/)\.claude\/settings\.local\.json$/, '$1.claude/settings.json') : rel;
        files.set(key, full);
      }
    }
  };
  visit(path.join(root, 'project'), '');
  visit(path.join(root, 'home'), '~');
  return files;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isUtf8 = (b) => { try { utf8.decode(b); return true; } catch { return false; } };
// What fetch's response.text() followed by a UTF-8 write makes of these bytes.
const throughText = (b) => Buffer.from(new TextDecoder('utf-8').decode(b), 'utf8');

function parsedJson(b) {
  try { return { value: JSON.parse(b.toString('utf8')) }; } catch { return null; }
}

function sameContent(rel, a, b) {
  if (rel.endsWith('.json')) {
    const [x, y] = [parsedJson(a), parsedJson(b)];
    if (x && y) return isDeepStrictEqual(x.value, y.value);
  }
  return a.equals(b);
}

function isOriginal(rel, bytes) {
  if (!sourcePrefix || !rel.startsWith(sourcePrefix + '/')) return true;
  const source = path.join(sourceDir, rel.slice(sourcePrefix.length + 1));
  return fs.existsSync(source) && fs.readFileSync(source).equals(bytes);
}

const npm = walk(npmRoot);
const cct = walk(cctRoot);
if (npm.size === 0) {
  console.log('MISMATCH npm failed');
  process.exit(0);
}
const reasons = [];
const mangled = [];
for (const rel of [...new Set([...npm.keys(), ...cct.keys()])].sort()) {
  if (!cct.has(rel)) { reasons.push(`missing file ${rel}`); continue; }
  if (!npm.has(rel)) { reasons.push(`extra file ${rel}`); continue; }
  const [a, b] = [npm.get(rel), cct.get(rel)];
  const [sa, sb] = [fs.lstatSync(a), fs.lstatSync(b)];
  if (!sa.isFile() || !sb.isFile()) { reasons.push(`not a regular file ${rel}`); continue; }
  const [ba, bb] = [fs.readFileSync(a), fs.readFileSync(b)];
  if (!sameContent(rel, ba, bb)) {
    if (!isUtf8(bb) && ba.equals(throughText(bb)) && isOriginal(rel, bb)) mangled.push(rel);
    else if (bb.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) && ba.equals(bb.subarray(3))) {
      reasons.push(`content differs ${rel} (npm drops the UTF-8 BOM)`);
    } else reasons.push(`content differs ${rel}`);
  }
  if (((sa.mode & 0o111) !== 0) !== ((sb.mode & 0o111) !== 0)) {
    reasons.push(`exec bit ${rel} (npm ${(sa.mode & 0o777).toString(8)}, cct ${(sb.mode & 0o777).toString(8)})`);
  }
}

if (reasons.length) console.log(`MISMATCH ${reasons.join(', ')}`);
else if (mangled.length) console.log(`binary ${mangled.join(',')}`);
else console.log('match');
