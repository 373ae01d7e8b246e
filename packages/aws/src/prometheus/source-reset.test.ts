import { type MetricQuery, MetricQueryError } from "@slo/core/metrics";
import { describe, expect, it } from "vitest";
import { type FetchLike, PrometheusMetricsSource, PrometheusQueryError } from "./source.ts";

const T0 = 1_790_000_000;
const query: MetricQuery = {
  id: "q",
  query: {
    kind: "metric",
    namespace: "AWS/ApplicationELB",
    metricName: "RequestCount",
    dimensions: { Service: "a" },
    stat: "Sum",
  },
};
const range = { startMs: T0 * 1000, endMs: (T0 + 300) * 1000, stepMs: 60_000 };

/** A server answering one matrix; records the request bodies it was sent. */
function fakeServer(result: unknown[], status = 200): { fetch: FetchLike; bodies: string[] } {
  const bodies: string[] = [];
  return {
    bodies,
    fetch: async (_url, init) => {
      bodies.push(String(init.body));
      return new Response(
        JSON.stringify({ status: "success", data: { resultType: "matrix", result } }),
        { status },
      );
    },
  };
}

const grid = (values: (number | null)[]) =>
  values.flatMap((v, j) => (v === null ? [] : [[T0 + 60 * j, String(v)] as [number, string]]));

describe("PrometheusMetricsSource counter arithmetic", () => {
  it("treats a decrease as a reset, a stale sample as no data, and sums the series", async () => {
    const server = fakeServer([
      // pod 1: 0, 5, 2 (restarted: 2 new), 4, stale at 4, then 10
      { metric: { __name__: "x", service: "a", pod: "1" }, values: grid([0, 5, 2, 4, 4, 10]) },
      // samples per step (count_over_time): none in the step ending at point 4
      { metric: { service: "a", pod: "1", slo_fresh: "1" }, values: grid([1, 1, 1, 1, null, 1]) },
      // pod 2: appears at point 2 (no baseline: its first step is not counted)
      { metric: { __name__: "x", service: "a", pod: "2" }, values: grid([null, null, 1, 3, 3, 3]) },
      {
        metric: { service: "a", pod: "2", slo_fresh: "1" },
        values: grid([null, null, 1, 1, null, null]),
      },
    ]);
    const source = new PrometheusMetricsSource({ url: "http://prom:9090/", fetch: server.fetch });
    const [series] = await source.fetch([query], range);
    expect(Array.from(series?.values ?? [])).toEqual([5, 2, 2 + 2, Number.NaN, 6]);
    expect(server.bodies).toHaveLength(1);
    const body = new URLSearchParams(server.bodies[0]);
    expect(body.get("query")).toBe(
      'aws_applicationelb_request_count_total{service="a"} or label_replace(count_over_time(aws_applicationelb_request_count_total{service="a"}[59999ms]), "slo_fresh", "1", "", "")',
    );
    expect(body.get("step")).toBe("60s");
  });

  it("chunks the range so no request asks for more points than allowed", async () => {
    const server = fakeServer([]);
    const source = new PrometheusMetricsSource({
      url: "http://p",
      fetch: server.fetch,
      maxPointsPerRequest: 2,
    });
    const [series] = await source.fetch([query], range);
    expect(Array.from(series?.values ?? []).every(Number.isNaN)).toBe(true);
    // 6 grid points in chunks of 2.
    expect(server.bodies.map((b) => new URLSearchParams(b).get("start"))).toEqual(
      [0, 120, 240].map((s) => String(T0 + s)),
    );
  });

  it("refuses a statistic that is not a count by query id, before any request", async () => {
    const server = fakeServer([]);
    const source = new PrometheusMetricsSource({ url: "http://p", fetch: server.fetch });
    const p99: MetricQuery = {
      id: "p99",
      query: { ...query.query, stat: "p99" } as MetricQuery["query"],
    };
    const error = await source.fetch([query, p99], range).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MetricQueryError);
    expect((error as MetricQueryError).message).toMatch(
      /query "p99": .*only Sum, SampleCount and TC\(:x\)/,
    );
    expect(server.bodies).toHaveLength(0);
  });

  it("turns a refusal into a PrometheusQueryError with the server's reason", async () => {
    const fetch: FetchLike = async () =>
      new Response(JSON.stringify({ status: "error", error: "exceeded maximum resolution" }), {
        status: 400,
      });
    const source = new PrometheusMetricsSource({ url: "http://p", fetch });
    await expect(source.fetch([query], range)).rejects.toThrow(/exceeded maximum resolution/);
    const down: FetchLike = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(
      new PrometheusMetricsSource({ url: "http://p", fetch: down }).fetch([query], range),
    ).rejects.toThrow(PrometheusQueryError);
  });
});
