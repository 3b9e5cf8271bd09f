import { BlockList } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problems } from './problem';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** True for this machine's own addresses, IPv4-mapped IPv6 included. */
export function isLoopbackAddress(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return loopback.check(plain, plain.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * Route guard for development tools: anyone but this machine is told the route does not exist. The
 * client address is the one Fastify trusts (TRUST_PROXY), so a gateway's forwarded client counts.
 */
export async function loopbackOnly(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (!isLoopbackAddress(request.ip)) throw problems.notFound('Route');
}
