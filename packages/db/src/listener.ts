import pg from 'pg';

export interface Listener {
  close(): Promise<void>;
}

/**
 * A dedicated connection that LISTENs on one channel and reconnects when it drops.
 * `onReconnect` lets callers catch up on anything notified while the connection was down.
 */
export async function listen(
  url: string,
  channel: string,
  onNotify: (payload: string | undefined) => void,
  onReconnect: () => void = () => {},
): Promise<Listener> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: `listen:${channel}` });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify(message.payload);
    });
    next.on('error', () => scheduleReconnect());
    next.on('end', () => scheduleReconnect());
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  };

  const scheduleReconnect = () => {
    if (closed || retry) return;
    client = undefined;
    retry = setTimeout(async () => {
      retry = undefined;
      try {
        await connect();
        onReconnect();
      } catch {
        scheduleReconnect();
      }
    }, 1_000);
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
