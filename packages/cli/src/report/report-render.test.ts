import { describe, expect, it } from "vitest";
import { objective, report, tier } from "./fixtures.ts";
import { renderHtmlReport } from "./html.ts";
import { summariseReports } from "./summary.ts";
import { renderReportTable } from "./table.ts";

const burning = objective({
  sli: 0.97,
  compliant: false,
  errorBudget: {
    allowed: 1000,
    consumed: 1200,
    remainingFraction: -0.2,
    allowedMinutes: 43.2,
    consumedMinutes: 51.8,
    remainingMinutes: -8.6,
  },
  currentBurnRate: 250,
  timeToExhaustionMs: 0,
  alerts: [
    tier("page-1h", 1, 14.4, "page", "firing", 250),
    tier("page-6h", 6, 6, "page", "suppressed", 60),
    tier("ticket-1d", 24, 3, "ticket", "suppressed", 15),
    tier("ticket-3d", 72, 1, "ticket", "ok", 0.9),
  ],
});
const reports = [
  report("payment-service-availability", "payment-service", [burning]),
  report("user-service-availability", "user-service", [objective()]),
  report("reporting-service-latency-p95", "reporting-service", [
    objective({ alerts: [tier("page-1h", 1, 14.4, "page", "no_data", null)] }),
  ]),
];

describe("renderReportTable", () => {
  const table = renderReportTable(reports);

  it("shows one row per objective, grouped by service, with the firing tier", () => {
    const row = table.split("\n").find((l) => l.startsWith("payment-service-availability"));
    expect(row).toContain("PAGE 1h");
    expect(row).toContain("97.000%");
    expect(row).toContain("-20.0%");
    expect(row).toContain("exhausted");
    expect(table).toMatch(/^user-service$/m);
  });

  it("marks windows without events as no data instead of ok", () => {
    const row = table.split("\n").find((l) => l.startsWith("reporting-service-latency-p95"));
    expect(row).toContain("no data");
  });

  it("aligns columns", () => {
    const header = table.split("\n")[0] ?? "";
    const rows = table.split("\n").filter((l) => l.includes("99.90%"));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.indexOf("99.90%")).toBe(header.indexOf("objective"));
  });
});

describe("renderHtmlReport", () => {
  const html = renderHtmlReport(
    [...reports, report('<script>alert("x")</script>', "evil", [objective()])],
    { title: "SLO report", source: "embedded", generatedAtMs: 0, evaluatedAtMs: 0 },
  );

  it("is self-contained: no scripts, no external resources", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain("&lt;script&gt;");
  });

  it("draws three charts per objective", () => {
    expect(html.match(/<svg /g)?.length).toBe(3 * 4);
    expect(html).toContain("Budget burn-down");
    expect(html).toContain("Burn rate per alert window");
    expect(html).toContain("Daily SLI");
  });

  it("breaks the SLI line at a day without data instead of drawing zero", () => {
    const sliChart = html
      .split("<figure>")
      .find((f) => f.includes("SLI per day vs objective: user-service"));
    expect(sliChart?.match(/<polyline/g)?.length).toBe(2);
  });
});

describe("summariseReports", () => {
  it("lists firing tiers, breaches and no-data objectives", () => {
    const s = summariseReports(reports, [{ slo: "x", service: "y", reason: "boom" }]);
    expect(s.slos).toBe(4);
    expect(s.firing).toEqual([
      expect.objectContaining({
        slo: "payment-service-availability",
        tier: "page-1h",
        severity: "page",
      }),
    ]);
    expect(s.breached).toEqual(["payment-service-availability/availability"]);
    expect(s.noData).toEqual(["reporting-service-latency-p95/availability"]);
    expect(s.failures).toBe(1);
  });
});
