import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The client's address of a raw request (a WebSocket upgrade, which no Fastify route sees), decided
 * by TRUST_PROXY exactly as Fastify decides `request.ip`: X-Forwarded-For counts only when the peer
 * that sent it is trusted.
 */
export function clientAddressResolver(trustProxy: boolean | string): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  const trust =
    trustProxy === true ? () => true : proxyAddr.compile(trustProxy.split(',').map((value) => value.trim()));
  return (request) => proxyAddr(request, trust);
}
