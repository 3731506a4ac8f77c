// Serves an upstream checkout on loopback the way GitHub serves the real repository to both installers:
//   /raw/<path>                                   the file's bytes (raw.githubusercontent.com)
//   /api/repos/<o>/<r>/contents/<path>            a folder listing shaped like GitHub's contents API
// Usage: node serve.cjs CHECKOUT PORTFILE   (picks a free port and writes it to PORTFILE once listening)
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');

const [root, portFile] = process.argv.slice(2).map((p) => path.resolve(p));
if (!root || !portFile) {
  console.error('usage: node serve.cjs CHECKOUT PORTFILE');
  process.exit(2);
}

// Only these trees are served, so a request cannot read the rest of the machine through "..".
const allowed = ['cli-tool/components', 'docs/components.json'];

function resolve(rel) {
  const clean = path.posix.normalize(rel).replace(/^\/+/, '');
  if (clean.startsWith('..') || !allowed.some((a) => clean === a || clean.startsWith(a + '/'))) return null;
  return path.join(root, clean);
}

const encode = (rel) => rel.split('/').map(encodeURIComponent).join('/');

function listing(base, apiPrefix, rel, dir) {
  // GitHub lists entries by name; symlinks and the like are skipped, as they are neither "file" nor "dir" to npm.
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() || e.isDirectory())
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => {
      const p = `${rel}/${e.name}`;
      const file = e.isFile();
      return {
        name: e.name,
        path: p,
        type: file ? 'file' : 'dir',
        download_url: file ? `${base}/raw/${encode(p)}` : null,
        url: `${base}${apiPrefix}${encode(p)}`,
      };
    });
}

const server = http.createServer((req, res) => {
  const send = (status, body, type) => {
    res.writeHead(status, { 'Content-Type': type || 'text/plain; charset=utf-8' });
    res.end(body);
  };
  let url;
  try {
    url = new URL(req.url, 'http://x');
    url.decoded = decodeURIComponent(url.pathname);
  } catch {
    return send(400, 'bad request');
  }
  const base = `http://${req.headers.host}`;
  const p = url.decoded;
  if (p.startsWith('/raw/')) {
    const file = resolve(p.slice('/raw/'.length));
    if (file && fs.existsSync(file) && fs.statSync(file).isFile()) {
      return send(200, fs.readFileSync(file), 'application/octet-stream');
    }
    return send(404, '404: Not Found');
  }
  const api = p.match(/^(\/api\/repos\/[^/]+\/[^/]+\/contents\/)(.*)$/);
  if (api) {
    const rel = api[2].replace(/\/+$/, '');
    const dir = resolve(rel);
    if (dir && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
      return send(200, JSON.stringify(listing(base, api[1], rel, dir)), 'application/json; charset=utf-8');
    }
    return send(404, JSON.stringify({ message: 'Not Found' }), 'application/json; charset=utf-8');
  }
  send(404, 'not found');
});

server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(portFile, String(server.address().port));
});
