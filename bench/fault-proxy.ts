/**
 * A fault-injecting HTTP proxy on loopback, put between the SDK (through
 * AWS_ENDPOINT_URL) and an emulator: each request is passed on, throttled
 * (answered as AWS answers an over-rate caller, never forwarded), or
 * forwarded with its response lost (the emulator acts, the caller sees the
 * connection drop). Used by the burst benchmark and by tests of lost responses.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'pass' | 'throttle' | 'lose-response';

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FaultProxy {
  url: string;
  counts: Record<Fault, number>;
  close(): Promise<void>;
}

/** What AWS sends an over-rate caller, in the protocol the caller speaks: retryable for every SDK client. */
function throttled(req: ProxiedRequest): { status: number; type: string; body: string } {
  if (String(req.headers['content-type'] ?? '').includes('x-amz-json')) {
    return {
      status: 400,
      type: 'application/x-amz-json-1.0',
      body: JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded (injected)' }),
    };
  }
  return {
    status: 503,
    type: 'text/xml',
    body: '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded (injected)</Message></Error></ErrorResponse>',
  };
}

export async function startFaultProxy(target: string, decide: (req: ProxiedRequest) => Fault): Promise<FaultProxy> {
  const upstream = new URL(target);
  const counts: Record<Fault, number> = { pass: 0, throttle: 0, 'lose-response': 0 };
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const req = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body: body.toString('utf8') };
      const fault = decide(req);
      counts[fault] += 1;
      if (fault === 'throttle') {
        const answer = throttled(req);
        outgoing.writeHead(answer.status, { 'content-type': answer.type, 'content-length': Buffer.byteLength(answer.body) });
        outgoing.end(answer.body);
        return;
      }
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.path,
          headers: { ...incoming.headers, host: upstream.host },
        },
        (response) => {
          const parts: Buffer[] = [];
          response.on('data', (c: Buffer) => parts.push(c));
          response.on('end', () => {
            if (fault === 'lose-response') {
              // The emulator has acted; the caller never hears of it.
              outgoing.socket?.destroy();
              return;
            }
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            outgoing.end(Buffer.concat(parts));
          });
        },
      );
      forwarded.on('error', () => outgoing.socket?.destroy());
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
