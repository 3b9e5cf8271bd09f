import { z } from 'zod';

/** What a client may send: JSON text frames, one operation each. */
export const ClientMessage = z.discriminatedUnion('op', [
  z.object({ op: z.literal('subscribe'), channel: z.string().max(200) }),
  z.object({ op: z.literal('unsubscribe'), channel: z.string().max(200) }),
  z.object({ op: z.literal('auth'), token: z.string().min(1).max(8192) }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export type ErrorCode = 'forbidden' | 'unauthorized' | 'validation_failed' | 'too_many_subscriptions' | 'rate_limited';

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  channel?: string;
  detail?: string;
}

export function errorFrame(code: ErrorCode, detail?: string, channel?: string): ErrorFrame {
  return { type: 'error', code, ...(channel === undefined ? {} : { channel }), ...(detail ? { detail } : {}) };
}
