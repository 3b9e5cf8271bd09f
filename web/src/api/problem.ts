/** RFC 9457 problem details as the services send them, and how the SPA turns them into words. */

export interface FieldError {
  path: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly body: ProblemBody;

  constructor(body: ProblemBody) {
    super(body.detail ?? body.title ?? body.code);
    this.name = 'ApiProblem';
    this.status = body.status;
    this.code = body.code;
    this.detail = body.detail;
    this.errors = body.errors ?? [];
    this.body = body;
  }
}

export function isProblemCode(error: unknown, code?: string): error is ApiProblem {
  return error instanceof ApiProblem && (code === undefined || error.code === code);
}

/** A request that never got an answer: offline, DNS, the gateway down. */
export function networkProblem(cause: unknown): ApiProblem {
  const problem = new ApiProblem({
    status: 0,
    code: 'network_error',
    title: 'Network error',
    detail: 'Cannot reach EchoPlex. Check your connection and try again.',
  });
  problem.cause = cause;
  return problem;
}

/** Reads a failed response as a problem, whatever the server actually sent. */
export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<ProblemBody>;
    if (body && typeof body === 'object' && typeof body.code === 'string') {
      return new ApiProblem({ ...body, status: response.status, code: body.code });
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): described by the status below.
  }
  return new ApiProblem({
    status: response.status,
    code: statusCodes[response.status] ?? 'http_error',
    title: response.statusText || `HTTP ${response.status}`,
    detail: response.status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : undefined,
  });
}

const statusCodes: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

/**
 * Sentences a person can act on, for codes whose server `detail` is written for developers or
 * depends on context the server cannot know. Codes not listed use the server's detail.
 */
const readable: Record<string, string> = {
  unauthorized: 'Please sign in to continue.',
  forbidden: 'You are not allowed to do that.',
  not_found: 'We could not find that.',
  invalid_credentials: 'The email or password is wrong.',
  email_taken: 'An account with this email already exists. Sign in instead, or reset your password.',
  invalid_token: 'This link is no longer valid. Ask for a new one.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  sold_out: 'Sorry, this ticket just sold out.',
  already_registered: 'You already hold a registration for this ticket type. Find it under My tickets.',
  sales_not_open: 'Sales for this ticket have not started yet.',
  sales_closed: 'Sales for this ticket have ended.',
  event_not_open: 'This event is not open for registration.',
  already_checked_in: 'Already checked in.',
  payment_not_required: 'This registration does not need a payment.',
  unsupported_media_type: 'This file type is not supported. Use a JPEG, PNG or WebP image.',
  payload_too_large: 'The file is too large (5 MB at most).',
};

/** Codes whose own sentence is better than ours (the server says what rule was broken). */
const serverExplains = new Set(['weak_password', 'invalid_state', 'capacity_exceeded', 'quantity_out_of_range']);

export function describeProblem(error: unknown): string {
  if (error instanceof ApiProblem) {
    if (serverExplains.has(error.code) && error.detail) return error.detail;
    return readable[error.code] ?? error.detail ?? error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/**
 * Which form field a code belongs to when the server names no `errors[].path`. A form passes its own
 * table to add to or override these (a ticket type's `capacity_exceeded` is about its quantity).
 */
const defaultCodeFields: Record<string, string> = {
  email_taken: 'email',
  weak_password: 'password',
  invalid_date_range: 'endTime',
  capacity_exceeded: 'capacity',
  quantity_out_of_range: 'quantity',
};

export interface FormProblem {
  /** Messages keyed by field path relative to the body: `name`, `attendees.0.email`. */
  fields: Record<string, string>;
  /** What to say above the form: the whole story when no field could be blamed. */
  summary: string;
}

/** Maps a problem onto a form: `errors[].path` (`body.endTime`) next to the field, the rest on top. */
export function formProblem(error: unknown, codeFields: Record<string, string> = {}): FormProblem {
  const fields: Record<string, string> = {};
  if (error instanceof ApiProblem) {
    for (const fieldError of error.errors) {
      const path = fieldPath(fieldError.path);
      if (path && !(path in fields)) fields[path] = sentence(fieldError.message);
    }
    if (Object.keys(fields).length === 0) {
      const field = codeFields[error.code] ?? defaultCodeFields[error.code];
      if (field) fields[field] = describeProblem(error);
    }
  }
  const blamed = Object.keys(fields).length;
  return {
    fields,
    summary:
      blamed > 0
        ? `Please correct the ${blamed === 1 ? 'highlighted field' : 'highlighted fields'}.`
        : describeProblem(error),
  };
}

/** `body.attendees.0.email` → `attendees.0.email`; also accepts JSON pointers (`/body/name`). */
export function fieldPath(path: string): string {
  const dotted = path.startsWith('/') ? path.slice(1).replaceAll('/', '.') : path;
  return dotted.replace(/^(body|query|querystring|params)\.?/, '');
}

/** Server messages are fragments ("must be after startTime"); shown alone they read better capitalised. */
function sentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return 'Is invalid.';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
