import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadFleetSlos } from "../../testing/fleet-slos.ts";
import type { SloDefinition } from "../spec/model.ts";
import { promDuration, prometheusRules, prometheusRulesYaml } from "./prometheus-rules.ts";

const promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((p) => existsSync(p));
if (!promtool) {
  console.warn(
    'skipping "promtool check rules": promtool not installed; run "apt-get update && apt-get install -y prometheus" (Debian, as root)',
  );
}

describe("prometheusRules", () => {
  it("writes windows, tiers and the low-traffic guard as the engine evaluates them", async () => {
    const slos = await loadFleetSlos();
    const { groups, cannotExpress } = prometheusRules(slos);
    // Ten services x four, plus the mesh SLO (Service Connect counters, exported like any other).
    expect(groups).toHaveLength(41);
    const availability = groups.find((g) => g.name === "slo-order-service-availability");
    const alerts = availability?.rules.filter((r) => r.alert) ?? [];
    expect(
      alerts.map((a) => [a.labels?.tier, a.labels?.long_window, a.labels?.short_window]),
    ).toEqual([
      ["page-fast", "1h", "5m"],
      ["page-slow", "6h", "30m"],
      ["ticket-fast", "1d", "2h"],
      ["ticket-slow", "3d", "6h"],
    ]);
    expect(alerts[0]?.expr).toBe(
      '(slo:sli_error:ratio_rate1h{slo="order-service-availability",objective="availability"} / (1 - 0.999) >= 14.4) and (slo:sli_error:ratio_rate5m{slo="order-service-availability",objective="availability"} / (1 - 0.999) >= 14.4) and (slo:sli_total:increase1h{slo="order-service-availability",objective="availability"} >= 100)',
    );
    const record = availability?.rules.find((r) => r.record === "slo:sli_error:ratio_rate1h");
    expect(record?.expr).toBe(
      '((sum(increase(aws_applicationelb_http_code_target_5xx_count_total{service="order-service"}[1h])) or vector(0)) + (sum(increase(aws_applicationelb_target_connection_error_count_total{service="order-service"}[1h])) or vector(0))) / sum(increase(aws_applicationelb_request_count_total{service="order-service"}[1h]))',
    );
    const latency = groups.find((g) => g.name === "slo-order-service-latency-p95");
    expect(latency?.rules.find((r) => r.record === "slo:sli_error:ratio_rate5m")?.expr).toContain(
      'aws_applicationelb_target_response_time_bucket{le="0.25",service="order-service"}[5m]',
    );
    // Every fleet SLO has four tiers: suppression is Alertmanager's job, and says so.
    expect(cannotExpress).toHaveLength(41);
    expect(cannotExpress[0]?.reasons.join(" ")).toMatch(/inhibit_rules/);
  });

  it("lists an SLO PromQL cannot express instead of dropping it silently", async () => {
    const [base] = await loadFleetSlos();
    const timeslices: SloDefinition = {
      ...(base as SloDefinition),
      name: "sliced",
      budgetingMethod: "Timeslices",
      objectives: [{ name: "o", target: 0.99, timeSliceTarget: 0.95, timeSliceWindowMs: 60_000 }],
      exclusions: [{ startMs: 0, endMs: 3_600_000 }],
    };
    const { groups, cannotExpress } = prometheusRules([timeslices]);
    expect(groups).toEqual([]);
    expect(cannotExpress[0]?.slo).toBe("sliced");
    expect(cannotExpress[0]?.reasons[0]).toMatch(/^not written: .*Timeslices/);
    expect(prometheusRulesYaml([timeslices])).toMatch(/# {3}sliced: not written/);
  });

  it("formats durations in the largest whole unit", () => {
    expect(
      [300_000, 1_800_000, 3_600_000, 86_400_000, 259_200_000, 90_000].map(promDuration),
    ).toEqual(["5m", "30m", "1h", "1d", "3d", "90s"]);
  });

  it.skipIf(!promtool)("passes promtool check rules for the whole fleet", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "slo-rules-"));
    try {
      const file = path.join(dir, "rules.yml");
      const text = prometheusRulesYaml(await loadFleetSlos());
      expect(parse(text).groups).toHaveLength(41);
      writeFileSync(file, text);
      const out = execFileSync(promtool as string, ["check", "rules", file], { encoding: "utf8" });
      // 41 SLOs x (8 windows x 2 records + 4 tier alerts).
      expect(out).toMatch(/SUCCESS: 820 rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
