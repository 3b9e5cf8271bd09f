/** True when a query failed on a unique constraint (optionally a specific, named one). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string };
  return pgError?.code === '23505' && (constraint === undefined || pgError.constraint === constraint);
}

/** Connection-level failures: the database is down or restarting, so the client may retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const pgError = error as { code?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '08006', '08001'].includes(pgError?.code ?? '') ||
    /Connection terminated|timeout exceeded when trying to connect/.test(String((error as Error)?.message))
  );
}
