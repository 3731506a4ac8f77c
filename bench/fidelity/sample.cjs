// Picks the components to compare from upstream's docs/components.json and prints one per line:
// "<type>\t<name>\t<top|random|all>", where type is the install flag (agent, command, ...) and name what it takes.
// Usage: node sample.cjs COMPONENTS_JSON --all
//        node sample.cjs COMPONENTS_JSON TOP RANDOM SEED
'use strict';
const fs = require('fs');

const [indexFile, ...rest] = process.argv.slice(2);
const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
// The six kinds both installers handle one by one; templates, plugins, sandbox and loops are not compared.
const kinds = { agents: 'agent', commands: 'command', mcps: 'mcp', settings: 'setting', hooks: 'hook', skills: 'skill' };

const all = [];
for (const [section, type] of Object.entries(kinds)) {
  for (const e of index[section] || []) {
    const name = type === 'skill' ? e.path : e.path.replace(/\.(md|json)$/, '');
    all.push({ type, name, downloads: Number(e.downloads) || 0 });
  }
}

const print = (list, tag) => list.forEach((c) => console.log(`${c.type}\t${c.name}\t${tag}`));

if (rest[0] === '--all') {
  print(all, 'all');
} else {
  const [top, random, seed] = rest.map(Number);
  // Ties in downloads are broken by name so that the same index always gives the same top list.
  const ranked = [...all].sort((a, b) => b.downloads - a.downloads
    || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  const others = ranked.slice(top);
  // mulberry32: a tiny seeded generator, so a seed names one sample on every machine and Node version.
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = others.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [others[i], others[j]] = [others[j], others[i]];
  }
  print(ranked.slice(0, top), 'top');
  print(others.slice(0, random), 'random');
}
