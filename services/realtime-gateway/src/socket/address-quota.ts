/** Open sockets per client address, so that one address cannot take the whole connection limit. */
export class AddressQuota {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts a socket against its address; false when the address already holds `limit`. */
  take(address: string): boolean {
    const count = this.open.get(address) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(address, count + 1);
    return true;
  }

  release(address: string): void {
    const count = (this.open.get(address) ?? 0) - 1;
    if (count > 0) this.open.set(address, count);
    else this.open.delete(address);
  }
}
