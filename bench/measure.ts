// One autocannon measurement against a local port, and rounds of them combined: shared by the
// benchmarks (run.ts, deliveries.ts).
import autocannon from "autocannon";

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
}

export async function drive(connections: number, port: number, requests: autocannon.Request[], seconds: number): Promise<Measured> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    timeout: 10,
    headers: { host: `localhost:${port}` },
    requests,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
  };
}

/**
 * Rounds of equal length as one measurement: mean throughput, mean p50, and the worst round's p99
 * (percentiles of separate runs cannot be merged exactly; the worst is the honest bound).
 */
export function combine(list: Measured[]): Measured {
  const sum = (pick: (m: Measured) => number) => list.reduce((total, m) => total + pick(m), 0);
  return {
    rps: sum((m) => m.rps) / list.length,
    p50: Math.round(sum((m) => m.p50) / list.length),
    p99: Math.max(...list.map((m) => m.p99)),
    non2xx: sum((m) => m.non2xx),
    errors: sum((m) => m.errors),
    requests: sum((m) => m.requests),
  };
}
