import { isDatabaseUnavailable } from '@echoplex/db';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type FieldError, Problem } from './problem';

/** Turns every failure into problem+json; unknown errors are logged but never described to the client. */
export function installProblemHandlers(app: FastifyInstance, spaShell?: () => string | undefined): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    if (problem.status === 503) reply.header('retry-after', '1');
    reply.status(problem.status).type('application/problem+json').send(problem.toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the SPA: a browser navigation that matches no route gets the app shell.
    const shell = spaShell?.();
    if (shell && request.method === 'GET' && request.headers.accept?.includes('text/html') && !isApiPath(request.url)) {
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(shell);
    }
    const problem = new Problem(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
    reply.status(404).type('application/problem+json').send(problem.toJSON());
  });
}

function toProblem(error: FastifyError): Problem {
  if (error instanceof Problem) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.map((issue) => ({
      path: [error.validationContext, issue.instancePath.replace(/^\//, '').replaceAll('/', '.')]
        .filter(Boolean)
        .join('.'),
      message: issue.message ?? 'is invalid',
    }));
    // A malformed query or path is a bad request; a well-formed body that breaks rules is 422.
    const status = error.validationContext === 'body' ? 422 : 400;
    return new Problem(status, 'validation_failed', 'The request is not valid.', errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, 'malformed_json', 'The body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'payload_too_large', 'The body is larger than this endpoint accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(415, 'unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_VALIDATION':
      return new Problem(400, 'validation_failed', error.message);
  }
  if (isDatabaseUnavailable(error))
    return new Problem(503, 'unavailable', 'The database is unavailable; retry shortly.');
  const status = error.statusCode ?? 500;
  if (status === 429) return new Problem(429, 'rate_limited', 'Too many requests; retry later.');
  if (status >= 400 && status < 500) return new Problem(status, codeForStatus(status), error.message);
  return new Problem(500, 'internal_error', 'Something went wrong on our side.');
}

function codeForStatus(status: number): string {
  return (
    {
      400: 'bad_request',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'not_found',
      405: 'method_not_allowed',
      409: 'conflict',
      413: 'payload_too_large',
      415: 'unsupported_media_type',
    }[status] ?? 'bad_request'
  );
}

function isApiPath(url: string): boolean {
  return /^\/(api|ws|docs|openapi\.json|\.well-known|health|ready|metrics)(\/|\?|$)/.test(url);
}
