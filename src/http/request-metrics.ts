// http_requests_total{method,route,status_code} and http_request_duration_seconds{method,route},
// counted on every response in plain maps and arrays and turned into samples when /metrics is
// scraped. prom-client's own labelled Counter.inc() + Histogram.observe() cost about 3 µs a
// request here (a label hash string built per call, buckets kept in an object keyed by the float
// bound), this about 0.15 µs (README "Metrics"). prom-client still writes the exposition: its
// Registry asks a metric only for name, type, get() and reset(), which these two objects answer.
import type { Metric, Registry } from "prom-client";

interface Series {
  method: string;
  route: string;
  /** Observations per bucket, not cumulative; the last slot is above the highest bound (+Inf). */
  buckets: Float64Array;
  sum: number;
  count: number;
  statuses: Map<number, number>;
}

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export class RequestMetrics {
  /** route -> method -> series: two lookups by strings Fastify already holds, nothing built per request. */
  readonly #routes = new Map<string, Map<string, Series>>();

  constructor(
    /** Histogram bounds in seconds, ascending. */
    private readonly bounds: readonly number[],
    registers: readonly Registry[],
  ) {
    const requests = this.#metric("http_requests_total", "counter", "HTTP requests answered, by method, route pattern and status code.", () => this.#counts());
    const durations = this.#metric("http_request_duration_seconds", "histogram", "Time from receiving a request to its response's end, by method and route pattern.", () =>
      this.#histogram("http_request_duration_seconds"),
    );
    for (const registry of registers) {
      registry.registerMetric(requests);
      registry.registerMetric(durations);
    }
  }

  /** One response: its method, route pattern ("unmatched" for none), status and duration. */
  record(method: string, route: string, statusCode: number, seconds: number): void {
    let byMethod = this.#routes.get(route);
    if (byMethod === undefined) this.#routes.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined) {
      series = { method, route, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0, statuses: new Map() };
      byMethod.set(method, series);
    }
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.buckets[i]!++;
    series.sum += seconds;
    series.count++;
    series.statuses.set(statusCode, (series.statuses.get(statusCode) ?? 0) + 1);
  }

  *#series(): Iterable<Series> {
    for (const byMethod of this.#routes.values()) yield* byMethod.values();
  }

  #counts(): Sample[] {
    const samples: Sample[] = [];
    for (const { method, route, statuses } of this.#series()) {
      for (const [status, value] of statuses) samples.push({ labels: { method, route, status_code: status }, value });
    }
    return samples;
  }

  #histogram(name: string): Sample[] {
    const samples: Sample[] = [];
    for (const { method, route, buckets, sum, count } of this.#series()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += buckets[i]!;
        samples.push({ metricName: `${name}_bucket`, labels: { method, route, le: this.bounds[i]! }, value: cumulative });
      }
      samples.push({ metricName: `${name}_bucket`, labels: { method, route, le: "+Inf" }, value: count });
      samples.push({ metricName: `${name}_sum`, labels: { method, route }, value: sum });
      samples.push({ metricName: `${name}_count`, labels: { method, route }, value: count });
    }
    return samples;
  }

  /** The object a prom-client Registry reads (the shape of its own metrics' get()). */
  #metric(name: string, type: "counter" | "histogram", help: string, values: () => Sample[]): Metric {
    const metric = {
      name,
      help,
      type,
      aggregator: "sum",
      get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
      reset: () => this.#routes.clear(),
    };
    return metric as unknown as Metric;
  }
}
