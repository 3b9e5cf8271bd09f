import proxyAddr from '@fastify/proxy-addr';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problems } from './problem';

// The same `loopback` TRUST_PROXY names (and client-address.ts resolves) through proxy-addr.
const loopback = proxyAddr.compile('loopback');

/** True for this machine's own addresses, IPv4-mapped IPv6 included. */
export function isLoopbackAddress(address: string): boolean {
  return loopback(address, 0);
}

/**
 * Route guard for development tools: anyone but this machine is told the route does not exist. The
 * client address is the one Fastify trusts (TRUST_PROXY), so a gateway's forwarded client counts.
 */
export async function loopbackOnly(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!isLoopbackAddress(request.ip)) throw problems.notFound('Route');
}
