/**
 * A network that loses a response: the request reaches the service and takes
 * effect, then the client sees a timeout instead of the answer. Added inside
 * the SDK's retry middleware, so the SDK retries the call as it would in
 * production, into whatever the service says to a repeated create.
 */
import type { ClientFactory } from '../../bots/types';

interface MiddlewareClient {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'deserialize'; name: string },
    ) => void;
  };
}

/** Clients from `inner` that drop the first response of each named command, once; `dropped` lists what was lost. */
export function losingFirstResponses(inner: ClientFactory, commands: readonly string[]): { client: ClientFactory; dropped: string[] } {
  const pending = new Set(commands);
  const dropped: string[] = [];
  const client = ((ClientClass: new (config: any) => unknown, overrides?: { region?: string }) => {
    const built = inner(ClientClass, overrides) as MiddlewareClient;
    built.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        const name = context.commandName ?? '';
        if (pending.delete(name)) {
          dropped.push(name);
          throw Object.assign(new Error(`the response to ${name} was lost`), { name: 'TimeoutError', $metadata: {} });
        }
        return output;
      },
      { step: 'deserialize', name: 'loseFirstResponse' },
    );
    return built;
  }) as ClientFactory;
  return { client, dropped };
}

/**
 * The test tier runs with AWS_MAX_ATTEMPTS=1 (support/env.ts); a block that
 * needs the SDK to retry a lost response, as it does in production, turns its
 * standard retries back on.
 */
export function withSdkRetries(attempts = 3): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.AWS_MAX_ATTEMPTS;
    process.env.AWS_MAX_ATTEMPTS = String(attempts);
  });
  afterAll(() => {
    process.env.AWS_MAX_ATTEMPTS = previous;
  });
}
