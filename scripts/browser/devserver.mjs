// A development server for the portal: serves api/assets/portal/ under
// /portal exactly as the binary does, and passes everything else (/graphql
// over HTTP and its WebSocket upgrade, /graphiql/*, /exports/*, /healthz) to
// a running Hub138. Plain node:http and node:net, no dependency.
// Usage: node devserver.mjs [PORT=8182] [UPSTREAM=http://127.0.0.1:8181]
import http from 'node:http';
import net from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const port = Number(process.argv[2] ?? 8182);
const upstream = new URL(process.argv[3] ?? 'http://127.0.0.1:8181');
const assets = join(fileURLToPath(new URL('.', import.meta.url)), '../../api/assets/portal');
const FILES = {
  '/portal': ['index.html', 'text/html; charset=utf-8'],
  '/portal/': ['index.html', 'text/html; charset=utf-8'],
  '/portal/portal.js': ['portal.js', 'text/javascript; charset=utf-8'],
  '/portal/portal.css': ['portal.css', 'text/css; charset=utf-8'],
};

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const file = FILES[path];
  if (file) {
    try {
      // Read at every request: a rebuild shows on reload.
      const body = await readFile(join(assets, file[0]));
      res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' });
      res.end(body);
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
    return;
  }
  if (path.startsWith('/portal/')) {
    res.writeHead(404).end('not found');
    return;
  }
  const proxied = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  proxied.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`upstream ${upstream.host}: ${e.message}`);
  });
  req.pipe(proxied);
});

// WebSocket: replay the upgrade request to the upstream and splice the sockets.
server.on('upgrade', (req, socket, head) => {
  const up = net.connect(Number(upstream.port), upstream.hostname, () => {
    const headers = { ...req.headers, host: upstream.host };
    let text = `${req.method} ${req.url} HTTP/1.1\r\n`;
    for (const [k, v] of Object.entries(headers)) {
      for (const one of Array.isArray(v) ? v : [v]) text += `${k}: ${one}\r\n`;
    }
    up.write(`${text}\r\n`);
    if (head?.length) up.write(head);
    up.pipe(socket);
    socket.pipe(up);
  });
  const close = () => { up.destroy(); socket.destroy(); };
  up.on('error', close);
  socket.on('error', close);
  up.on('close', close);
  socket.on('close', close);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`portal dev server on http://127.0.0.1:${port}/portal → ${upstream.origin}`);
});
