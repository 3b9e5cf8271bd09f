/**
 * Access tokens already verified, so a client's every request does not repeat the signature check
 * (an EdDSA verification is ~300 µs on this machine). An entry answers only while the key set it was
 * verified against is still the one in use and the token has not expired, so a remembered token is
 * accepted exactly when verifying it again would accept it. Bounded: the oldest entry goes first.
 */
export class VerifiedTokens<Principal> {
  private keySet: unknown;
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(private readonly capacity: number) {}

  /** `keySet` identifies the keys in use now; entries of any other key set are forgotten. */
  recall(token: string, keySet: unknown, now: number): Principal | undefined {
    if (keySet !== this.keySet) return undefined;
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** `expiresAt` in ms: a token stops being recalled the moment its `exp` claim would refuse it. */
  remember(token: string, keySet: unknown, principal: Principal, expiresAt: number): void {
    if (this.capacity === 0) return;
    if (keySet !== this.keySet) {
      this.entries.clear();
      this.keySet = keySet;
    }
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { principal, expiresAt });
  }
}
