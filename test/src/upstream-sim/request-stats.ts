/** One request as the simulator saw it. */
export interface RequestRecord {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly kind: 'list' | 'download' | 'other';
  readonly form?: Readonly<Record<string, string>>;
  readonly headers: { readonly userAgent?: string; readonly referer?: string; readonly origin?: string };
  readonly status: number;
  readonly bytes: number;
  readonly durationMs: number;
  readonly faults: readonly string[];
  /** `aborted` when the response did not finish (reset, truncation, client gone). */
  readonly outcome: 'complete' | 'aborted';
}

export interface StatsSnapshot {
  readonly since: string;
  readonly totalRequests: number;
  readonly listRequests: number;
  readonly downloadRequests: number;
  readonly bytesSent: number;
  readonly inFlight: number;
  readonly peakInFlight: number;
  readonly countsByPath: Readonly<Record<string, number>>;
  /** The most recent records (bounded, oldest dropped first). */
  readonly requests: readonly RequestRecord[];
  readonly droppedRecords: number;
}

/** Counts what clients asked, including the peak number of requests served at once. */
export class RequestStats {
  private since = new Date().toISOString();
  private records: RequestRecord[] = [];
  private dropped = 0;
  private counts = new Map<string, number>();
  private totals = { total: 0, list: 0, download: 0, bytes: 0 };
  private inFlight = 0;
  private peak = 0;

  constructor(private readonly maxRecords = 20_000) {}

  /** Called when a request arrives; returns the callback for when it is done. */
  begin(): () => void {
    this.inFlight++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.inFlight--;
    };
  }

  record(r: RequestRecord): void {
    this.totals.total++;
    if (r.kind === 'list') this.totals.list++;
    if (r.kind === 'download') this.totals.download++;
    this.totals.bytes += r.bytes;
    this.counts.set(r.path, (this.counts.get(r.path) ?? 0) + 1);
    this.records.push(r);
    if (this.records.length > this.maxRecords) {
      this.records.shift();
      this.dropped++;
    }
  }

  /** Clears counts and records; the peak restarts from what is in flight now. */
  reset(): void {
    this.since = new Date().toISOString();
    this.records = [];
    this.dropped = 0;
    this.counts = new Map();
    this.totals = { total: 0, list: 0, download: 0, bytes: 0 };
    this.peak = this.inFlight;
  }

  snapshot(withRequests = true): StatsSnapshot {
    return {
      since: this.since,
      totalRequests: this.totals.total,
      listRequests: this.totals.list,
      downloadRequests: this.totals.download,
      bytesSent: this.totals.bytes,
      inFlight: this.inFlight,
      peakInFlight: this.peak,
      countsByPath: Object.fromEntries(this.counts),
      requests: withRequests ? [...this.records] : [],
      droppedRecords: this.dropped,
    };
  }
}
