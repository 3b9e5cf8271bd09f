export interface FieldError {
  path: string;
  message: string;
}

/** An RFC 9457 problem: thrown anywhere in a request, rendered as `application/problem+json`. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
    this.name = 'Problem';
  }

  get title(): string {
    return titles[this.status] ?? 'Error';
  }

  toJSON() {
    return {
      type: `https://echoplex.dev/problems/${this.code.replaceAll('_', '-')}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is not valid.') =>
    new Problem(422, 'validation_failed', detail, errors),
  badRequest: (code: string, detail: string) => new Problem(400, code, detail),
  unauthorized: (detail = 'Sign in to do this.') => new Problem(401, 'unauthorized', detail),
  forbidden: (detail = 'You are not allowed to do this.') => new Problem(403, 'forbidden', detail),
  notFound: (what = 'The resource') => new Problem(404, 'not_found', `${what} was not found.`),
  conflict: (code: string, detail: string, extra?: Record<string, unknown>) =>
    new Problem(409, code, detail, undefined, extra),
  unprocessable: (code: string, detail: string, errors?: FieldError[]) => new Problem(422, code, detail, errors),
  unavailable: (detail = 'The service is temporarily unavailable; retry shortly.') =>
    new Problem(503, 'unavailable', detail),
};
