// What arrived while waiting for an answer but was not it (UDP packets with another transaction id,
// WebSocket messages for other peers): counted, and the first few described, so that a flood grows
// neither memory nor the log, and the user still learns what the tracker sent.

export class Ignored {
  count = 0;
  private readonly samples: string[] = [];

  /** `packet` or `message`: what is counted, for the words. */
  constructor(private readonly noun: string) {}

  /** Records one; true for the first few, which are worth a log line. */
  add(description: string): boolean {
    this.count++;
    if (this.samples.length >= 3) return false;
    this.samples.push(description);
    return true;
  }

  /** `ignored 2 packets (a; b)` or, for `answered (after …)`, `ignoring 2 packets: a; b`. */
  describe(form: 'ignored' | 'ignoring' = 'ignored'): string {
    const list = `${this.samples.join('; ')}${this.count > this.samples.length ? '; …' : ''}`;
    const what = `${this.count} ${this.noun}${this.count > 1 ? 's' : ''}`;
    return form === 'ignored' ? `ignored ${what} (${list})` : `ignoring ${what}: ${list}`;
  }
}
