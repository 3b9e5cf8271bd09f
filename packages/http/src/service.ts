import type { Outbox, Transport } from '@echoplex/bus';
import type { Migrations } from '@echoplex/db';
import type { Logger, Registry } from '@echoplex/telemetry';
import type { JSONWebKeySet } from 'jose';
import type { Kysely } from 'kysely';
import type { HttpApp } from './app';
import type { TokenVerifier } from './auth';
import type { CommonConfig } from './config';
import type { ReadinessCheck } from './operations';

/** Everything a service plugin needs from its host, passed explicitly so tests build it the same way. */
export interface ServiceContext {
  /** Scoped to the service's own schema. */
  db: Kysely<any>;
  databaseUrl: string;
  outbox: Outbox;
  transport: Transport;
  log: Logger;
  registry: Registry;
  clock: () => Date;
  config: CommonConfig;
  /** Embedded mode: identity publishes its public keys here for the in-process token verifier. */
  keyRing: KeyRing;
  /** The host's access-token verifier, for services that authenticate outside HTTP hooks (WebSockets). */
  verifier: TokenVerifier;
  /** Adds a condition to the host's `/ready` besides its database and bus (a read model still replaying). */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
}

export interface KeyRing {
  jwks: JSONWebKeySet;
}

export interface ServiceDefinition {
  name: string;
  schema: string;
  migrations: Migrations;
  /** Path prefixes this service answers; the gateway proxies them in distributed mode. */
  routes: string[];
  /**
   * What the service does with the dev mailbox (packages/mailer) when there is no SMTP server: adds
   * mail to it, or also reads it. Distributed mode grants its role exactly that.
   */
  devMailbox?: 'write' | 'read-write';
  /** It takes payments: production mode refuses to start it without real Stripe keys. */
  takesPayments?: boolean;
  plugin: (app: HttpApp, ctx: ServiceContext) => Promise<void>;
}
