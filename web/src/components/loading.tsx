/** A polite, screen-reader-announced progress line for anything that waits on the network. */
export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}…
    </p>
  );
}

export function ErrorMessage({ children }: { children: string }) {
  return (
    <p className="form-alert error" role="alert">
      {children}
    </p>
  );
}
