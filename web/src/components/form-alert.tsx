/** The form-level message of a failed submit; focusable so it can be announced and reached. */
export function FormAlert({
  message,
  tone = 'error',
}: {
  message?: string | null;
  tone?: 'error' | 'success' | 'info';
}) {
  if (!message) return null;
  return (
    <p className={`form-alert ${tone}`} role={tone === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      {message}
    </p>
  );
}
