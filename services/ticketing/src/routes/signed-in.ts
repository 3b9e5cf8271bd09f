import { requireUser } from '@echoplex/http';
import type { FastifyRequest } from 'fastify';

/** Runs before body validation, so an anonymous request is told 401, not what is wrong with its body. */
export async function signedIn(request: FastifyRequest): Promise<void> {
  requireUser(request);
}
