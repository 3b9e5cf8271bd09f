/**
 * The benchmark's unsampled clients, in a process of their own (see SplitFleet): they only count
 * frames, and their receive work does not queue in front of the clients whose latency is measured.
 */
import { ClientFleet } from './client-fleet';

const fleet = new ClientFleet(0);
const send = (message: object) => process.send?.(message);

const commands: Record<string, (args: any) => Promise<unknown> | unknown> = {
  connect: async ({ url, count, channel, awaitAnswer }) => {
    await fleet.connect(url, count, channel, awaitAnswer);
    return fleet.clients.length;
  },
  // Answers once armed; `burstDone` follows when every client has the burst.
  expectBurst: ({ frames }) => {
    void fleet.expectBurst(frames).then(() => send({ burstDone: true }));
    return true;
  },
  frames: () => fleet.framesReceived,
  resetFrames: () => {
    fleet.framesReceived = 0;
    return true;
  },
  close: () => {
    fleet.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', async ({ id, cmd, args }: { id: number; cmd: string; args?: any }) => {
  try {
    const command = commands[cmd];
    if (!command) throw new Error(`unknown command ${cmd}`);
    send({ id, result: await command(args ?? {}) });
  } catch (error) {
    send({ id, error: String((error as Error)?.stack ?? error) });
  }
});
send({ ready: true, port: 0 });
