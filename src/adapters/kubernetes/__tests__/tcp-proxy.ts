import { connect, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy to `target` that can cut every open connection (a dropped network). */
export const startTcpProxy = async (
  target: URL,
): Promise<{ url: string; drop(): void; blackhole(on: boolean): void; close(): Promise<void> }> => {
  const sockets = new Set<Socket>();
  let dead = false;
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server = createServer((client) => {
    if (dead) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  const drop = (): void => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: `https://127.0.0.1:${port}`,
    drop,
    /** While on, every connection is cut and new ones are refused (a partitioned replica). */
    blackhole: (on) => {
      dead = on;
      if (on) drop();
    },
    close: () =>
      new Promise<void>((resolve) => {
        drop();
        server.close(() => resolve());
      }),
  };
};
