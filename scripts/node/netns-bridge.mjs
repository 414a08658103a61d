#!/usr/bin/env node
// Connects the e2e node's network namespace to the host's loopback through Unix sockets, so
// the host namespace needs no veth, address or route of its own:
//
//   host   uds-to-tcp SOCK HOST PORT    listen on Unix socket SOCK, forward each connection to
//                                      HOST:PORT (the API server on the host's 127.0.0.1)
//   netns  tcp-to-uds HOST PORT SOCK    listen on HOST:PORT inside the namespace (the kubelet's
//                                      "API server"), forward to SOCK
//   netns  connect-proxy SOCK           an HTTP CONNECT proxy on Unix socket SOCK that dials
//                                      inside the namespace: the API server's egress selector
//                                      ("cluster") reaches the kubelet (logs, exec) through it
//
// Several modes may be given in one process, separated by "+". Plain Node, no dependencies.
import { createConnection, createServer } from 'node:net';
import { rmSync } from 'node:fs';

const pipe = (a, b) => {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
};

// "ready" goes to stdout once every listener of this process is up.
let pending = 0;
const track = (server) => {
  pending += 1;
  server.once('listening', () => {
    pending -= 1;
    if (pending === 0) process.stdout.write('netns-bridge: ready\n');
  });
  server.once('error', (err) => {
    console.error(`netns-bridge: ${err.message}`);
    process.exit(1);
  });
  return server;
};

const listenUnix = (server, path) => {
  rmSync(path, { force: true });
  track(server).listen(path);
};

const modes = {
  'uds-to-tcp': ([sock, host, port]) =>
    listenUnix(createServer((c) => pipe(c, createConnection({ host, port: Number(port) }))), sock),
  'tcp-to-uds': ([host, port, sock]) =>
    track(createServer((c) => pipe(c, createConnection({ path: sock })))).listen(Number(port), host),
  'connect-proxy': ([sock]) =>
    listenUnix(
      createServer((client) => {
        let head = Buffer.alloc(0);
        const onData = (chunk) => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) {
            if (head.length > 16384) client.destroy();
            return;
          }
          client.off('data', onData);
          const m = /^CONNECT ([^\s:]+|\[[^\]]+\]):(\d+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'));
          if (!m) {
            client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
            return;
          }
          const upstream = createConnection({ host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) });
          upstream.once('connect', () => {
            client.write('HTTP/1.1 200 Connection established\r\n\r\n');
            const rest = head.subarray(end + 4);
            if (rest.length > 0) upstream.write(rest);
            pipe(client, upstream);
          });
          upstream.once('error', (err) => {
            if (!client.destroyed) client.end(`HTTP/1.1 502 Bad Gateway\r\n\r\n${err.message}`);
          });
        };
        client.on('data', onData);
        client.on('error', () => client.destroy());
      }),
      sock,
    ),
};

const argv = process.argv.slice(2);
const groups = [];
for (const a of argv) {
  if (a === '+' || groups.length === 0) groups.push([]);
  if (a !== '+') groups.at(-1).push(a);
}
for (const [mode, ...args] of groups) {
  const start = modes[mode];
  if (!start) {
    console.error(`netns-bridge: unknown mode ${mode}; use ${Object.keys(modes).join(', ')}`);
    process.exit(2);
  }
  start(args);
}
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
