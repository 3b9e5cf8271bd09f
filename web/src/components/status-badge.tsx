const labels: Record<string, string> = {
  draft: 'Draft',
  published: 'Published',
  cancelled: 'Cancelled',
  pending: 'Awaiting payment',
  confirmed: 'Confirmed',
  expired: 'Expired',
  scheduled: 'Not on sale yet',
  on_sale: 'On sale',
  ended: 'Sales ended',
  sold_out: 'Sold out',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{labels[status] ?? status}</span>;
}
