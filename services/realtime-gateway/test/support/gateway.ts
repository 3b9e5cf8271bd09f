import type { AddressInfo } from 'node:net';
import type { HttpApp } from '@echoplex/http';
import { eventually } from '@echoplex/testkit';

/** Listens on a free port of the loopback interface and returns the socket URL. */
export async function listen(app: HttpApp): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return `ws://127.0.0.1:${port}/ws`;
}

/**
 * Waits until the gateway has replayed the topics' history (the shared broker may hold a lot of
 * it). `/ready` answers 200 only once every partition of every topic it follows has been read to
 * the end it had at subscription, so whatever a test publishes afterwards comes after the history,
 * on every topic and key.
 */
export async function caughtUp(app: HttpApp): Promise<void> {
  const ready = await eventually(
    () => app.inject({ method: 'GET', url: '/ready' }),
    (response) => response.statusCode === 200,
    110_000,
  );
  if (ready.statusCode !== 200) throw new Error(`the gateway did not catch up with the topics: ${ready.body}`);
}
