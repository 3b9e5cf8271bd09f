import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { problems } from './problem';
import { SessionRevocations } from './session-revocations';
import { VerifiedTokens } from './verified-tokens';

export type Role = 'organizer' | 'attendee';

export interface Principal {
  userId: string;
  role: Role;
  /** The login session (`sid`) the token was issued for; ending it ends the token. */
  sessionId: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
  /** Ended sessions whose tokens are refused; the host keeps it current from the bus. */
  readonly revocations: SessionRevocations;
}

/** Only asymmetric algorithms: `none` and HMAC tokens (e.g. signed with the public key) never verify. */
export const accessTokenAlgorithms = ['EdDSA', 'ES256'];
export const accessTokenIssuer = 'echoplex-identity';
export const accessTokenAudience = 'echoplex';

export interface VerifierConfig {
  /** In distributed mode: the identity service's `/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** In embedded mode: the key set, read in-process from the identity service. */
  jwks?: () => JSONWebKeySet;
  /** Verified tokens remembered (see VerifiedTokens); 0 verifies every request. */
  rememberedTokens?: number;
  /** How long a fetched remote key set is used before it is fetched again (jose's `cacheMaxAge`). */
  keySetMaxAgeMs?: number;
}

/**
 * The keys tokens are verified with, and which key set that is: `current()` before a verification
 * (undefined when the set must be read again first), `afterVerifying()` once it settled.
 */
interface KeySource {
  keys: JWTVerifyGetKey;
  current(): unknown;
  afterVerifying(): unknown;
}

function remoteKeys(url: URL, maxAgeMs: number): KeySource {
  const remote = createRemoteJWKSet(url, { cooldownDuration: 5_000, cacheMaxAge: maxAgeMs });
  // jose fetches the set again only while verifying, so it can change only then; what it was after the
  // last verification is what is in use. A stale set is read again before anything is recalled.
  let seen: string | undefined;
  return {
    keys: remote,
    current: () => (remote.fresh ? seen : undefined),
    afterVerifying: () => {
      seen = JSON.stringify(remote.jwks() ?? null);
      return seen;
    },
  };
}

function localKeys(readKeys: () => JSONWebKeySet): KeySource {
  // Rebuilt only when the key ring is replaced (rotation), so keys are not re-imported per request.
  let current: { jwks: JSONWebKeySet; keys: JWTVerifyGetKey } | undefined;
  return {
    keys: (header, token) => {
      const jwks = readKeys();
      if (current?.jwks !== jwks) current = { jwks, keys: createLocalJWKSet(jwks) };
      return current.keys(header, token);
    },
    current: readKeys,
    afterVerifying: readKeys,
  };
}

export function createTokenVerifier(config: VerifierConfig): TokenVerifier {
  let source: KeySource;
  if (config.jwksUrl) source = remoteKeys(new URL(config.jwksUrl), config.keySetMaxAgeMs ?? 600_000);
  else if (config.jwks) source = localKeys(config.jwks);
  else throw new Error('a token verifier needs jwksUrl or jwks');
  const remembered = new VerifiedTokens<Principal>(config.rememberedTokens ?? 10_000);
  const revocations = new SessionRevocations();
  const unlessRevoked = (principal: Principal): Principal => {
    if (revocations.isRevoked(principal.sessionId)) throw new Error('the session has ended');
    return principal;
  };

  return {
    revocations,
    async verify(token) {
      const keySet = source.current();
      const known = keySet === undefined ? undefined : remembered.recall(token, keySet, Date.now());
      if (known) return unlessRevoked(known);
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      let settled: unknown;
      try {
        verified = await jwtVerify(token, source.keys, {
          algorithms: accessTokenAlgorithms,
          issuer: accessTokenIssuer,
          audience: accessTokenAudience,
          // A token without a session could never be ended by a logout: not accepted.
          requiredClaims: ['sub', 'exp', 'role', 'sid'],
        });
      } finally {
        // Always: a failed verification may also have fetched a new key set.
        settled = source.afterVerifying();
      }
      const { payload } = verified;
      const { role, sid } = payload;
      if (typeof payload.sub !== 'string' || typeof sid !== 'string' || (role !== 'organizer' && role !== 'attendee')) {
        throw new Error('token claims are incomplete');
      }
      const principal: Principal = { userId: payload.sub, role, sessionId: sid };
      // Remembered only if the key set did not change while this token was being verified.
      if (keySet !== undefined && settled === keySet) {
        remembered.remember(token, keySet, principal, (payload.exp as number) * 1000);
      }
      return unlessRevoked(principal);
    },
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** `false` for a route whose Authorization header carries a credential of its own (the metrics token). */
    accessToken?: boolean;
  }
}

/**
 * Reads the bearer token of every request. A request without one is anonymous; a request with an
 * invalid, expired or tampered one is refused at once rather than treated as anonymous.
 */
export const authentication = fp(
  async (app: FastifyInstance, options: { verifier: TokenVerifier }) => {
    app.decorateRequest('principal', null);
    // A callback hook, so an anonymous request (most public traffic) costs no promise.
    app.addHook('onRequest', (request, _reply, done) => {
      const header = request.headers.authorization;
      if (!header || request.routeOptions.config.accessToken === false) return done();
      const [scheme, token] = header.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || !token) return done(problems.unauthorized('Use a Bearer token.'));
      options.verifier.verify(token).then(
        (principal) => {
          request.principal = principal;
          done();
        },
        () => done(problems.unauthorized('The access token is invalid or expired.')),
      );
    });
  },
  { name: '@echoplex/http/authentication' },
);

export function requireUser(request: FastifyRequest): Principal {
  if (!request.principal) throw problems.unauthorized();
  return request.principal;
}

export function requireRole(request: FastifyRequest, role: Role): Principal {
  const principal = requireUser(request);
  if (principal.role !== role) throw problems.forbidden(`Only ${role}s can do this.`);
  return principal;
}

/**
 * Ownership check for private resources: someone else's resource is reported as missing, so its
 * existence is not revealed.
 */
export function requireOwnership<T>(resource: T | undefined, isOwner: (resource: T) => boolean, what: string): T {
  if (resource === undefined || !isOwner(resource)) throw problems.notFound(what);
  return resource;
}

/**
 * Route `onRequest` guards: they run before the body is parsed and validated, so an anonymous caller
 * is told 401 and an attendee 403, never what is wrong with a body they may not send at all.
 */
export async function signedIn(request: FastifyRequest): Promise<void> {
  requireUser(request);
}

export async function organizersOnly(request: FastifyRequest): Promise<void> {
  requireRole(request, 'organizer');
}
