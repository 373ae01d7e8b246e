import type { LoadResult } from "./documents.ts";
import { parseSloDocuments } from "./parse.ts";
import type { ResolveOptions } from "./resolve.ts";
import { resolveSloDocuments } from "./resolve.ts";

/** Parses and resolves one in-memory file (tests only). */
export function load(text: string, file = "t.yaml", options: ResolveOptions = {}): LoadResult {
  return resolveSloDocuments([parseSloDocuments(text, file)], options);
}

/** 1-based line of the `occurrence`-th line containing `needle` (tests only). */
export function lineOf(text: string, needle: string, occurrence = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.includes(needle) && ++seen === occurrence) return i + 1;
  }
  throw new Error(`"${needle}" not found ${occurrence} time(s) in the fixture`);
}

/** A minimal valid SLO document; `patch` replaces lines by exact match (tests only). */
export function sloYaml(name = "svc-availability", extra = ""): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${name}
spec:
  service: svc
  indicator:
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: CloudWatch
            spec: { namespace: AWS/ApplicationELB, metricName: Good, stat: Sum }
        total:
          metricSource:
            type: CloudWatch
            spec: { namespace: AWS/ApplicationELB, metricName: RequestCount, stat: Sum }
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: main
      target: 0.999
${extra}`;
}

export const SERVICE_SVC = `apiVersion: openslo/v1
kind: Service
metadata:
  name: svc
spec:
  description: test service
`;
