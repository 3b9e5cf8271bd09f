import { z } from 'zod';

/**
 * The one config loader: every `main.ts` parses its environment with a zod schema here, and a bad
 * setting stops the process at start with every problem named.
 */
export function parseConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Settings every process shares. */
export const commonConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  KAFKA_BROKERS: z.string().optional(),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  /** Shared rate-limit counters for every instance (without it each process counts on its own). */
  REDIS_URL: z.string().optional(),
  /**
   * Which peers may tell us the client's address in X-Forwarded-For: `true`, or addresses, CIDRs,
   * `loopback`, `uniquelocal` (comma-separated). Off by default, so a client cannot spoof its
   * address; services behind the gateway trust the gateway, or per-IP limits see one IP.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value): boolean | string => {
      if (value === undefined || value === '' || value === 'false') return false;
      return value === 'true' ? true : value;
    }),
  /** Where services find the identity service's public keys in distributed mode. */
  JWKS_URL: z.string().url().optional(),
  PUBLIC_URL: z.string().url().optional(),
  /** With it, `/metrics` answers only `Authorization: Bearer <token>`; production without it or METRICS_PORT serves it to nobody. */
  METRICS_TOKEN: z.string().optional(),
  /** Serve `/metrics` on this port of its own instead of the main one. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** After SIGTERM, /ready fails at once but requests are still served this long, so load balancers can stop sending. */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(0),
});
export type CommonConfig = z.infer<typeof commonConfig>;
