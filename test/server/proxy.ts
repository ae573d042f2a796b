// A forward proxy for the tests, like a company's: CONNECT tunnels for https, absolute-form
// requests for http, an optional login (407 without it). It sends every made-up host to this
// machine (sd.example.test -> 127.0.0.1), so a server "elsewhere" is one of the local servers.

import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as net from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
  proxyAuthorization?: string | undefined;
  /** The server's login as the proxy saw it: only ever in plain-http requests. */
  authorization?: string | undefined;
}

export class TestProxy {
  readonly requests: ProxiedRequest[] = [];
  private readonly server = http.createServer((req, res) => this.forward(req, res));
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(private readonly login?: { username: string; password: string }) {
    this.server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => this.tunnel(req, client, head));
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private allowed(req: http.IncomingMessage): boolean {
    this.requests.push({
      method: req.method ?? '',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
      authorization: req.headers.authorization,
    });
    if (!this.login) return true;
    return req.headers['proxy-authorization'] === `Basic ${Buffer.from(`${this.login.username}:${this.login.password}`).toString('base64')}`;
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!this.allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"', 'content-type': 'text/plain' });
      res.end('Proxy Authentication Required');
      return;
    }
    const target = new URL(req.url ?? '/');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  private tunnel(req: http.IncomingMessage, client: Socket, head: Buffer): void {
    if (!this.allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const port = Number((req.url ?? '').split(':').pop());
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.sockets.add(upstream);
    upstream.on('close', () => this.sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  }
}

export async function startTestProxy(login?: { username: string; password: string }): Promise<TestProxy> {
  const proxy = new TestProxy(login);
  await proxy.listen();
  return proxy;
}
