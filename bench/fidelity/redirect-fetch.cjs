// Loaded with `node --require` into the upstream installer: its GitHub downloads go to the local server in
// FIDELITY_SERVER, and every other request (tracking, error reports) fails at once without leaving the machine.
'use strict';
const server = process.env.FIDELITY_SERVER;
if (!server) throw new Error('redirect-fetch: FIDELITY_SERVER is not set');

const realFetch = globalThis.fetch;
const routes = [
  ['https://raw.githubusercontent.com/davila7/claude-code-templates/main/', `${server}/raw/`],
  ['https://api.github.com/repos/davila7/claude-code-templates/contents/',
    `${server}/api/repos/davila7/claude-code-templates/contents/`],
  [`${server}/`, `${server}/`],
];

globalThis.fetch = async (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  for (const [from, to] of routes) {
    if (url.startsWith(from)) {
      // The query (?ref=main) selects a branch upstream; the checkout has only one.
      const rest = url.slice(from.length).split('?')[0];
      return realFetch(to + rest, init);
    }
  }
  if (process.env.FIDELITY_LOG_BLOCKED) process.stderr.write(`redirect-fetch: blocked ${url}\n`);
  return new Response('blocked by the fidelity harness', { status: 404, statusText: 'Not Found' });
};
