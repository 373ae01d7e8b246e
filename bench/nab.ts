/** The NAB load series the forecasting and scaling benchmarks share, read in place. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadTrace, parseLoadTrace } from "../packages/core/src/forecast/index.ts";

/** The shared NAB folder, next to the repository (never copied into it); `SLO_DATASETS_DIR` overrides it for worktrees. */
export const NAB_DIR = process.env.SLO_DATASETS_DIR
  ? path.resolve(process.env.SLO_DATASETS_DIR, "nab")
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "../shared/datasets/nab");

/** The load-like NAB series of issue 3: ELB requests, Twitter volumes, taxi, CPU, network, disk. */
export const LOAD_SERIES = [
  "elb_request_count_8c0756.csv",
  "Twitter_volume_AAPL.csv",
  "Twitter_volume_AMZN.csv",
  "Twitter_volume_FB.csv",
  "Twitter_volume_GOOG.csv",
  "Twitter_volume_IBM.csv",
  "nyc_taxi.csv",
  "ec2_cpu_utilization_24ae8d.csv",
  "ec2_cpu_utilization_53ea38.csv",
  "ec2_cpu_utilization_5f5533.csv",
  "ec2_cpu_utilization_77c1ca.csv",
  "ec2_cpu_utilization_825cc2.csv",
  "rds_cpu_utilization_cc0c53.csv",
  "ec2_network_in_257a54.csv",
  "ec2_disk_write_bytes_1ef3de.csv",
] as const;

/** Reads one NAB series; exits with a clear message when the datasets folder is absent. */
export function loadNab(file: string): LoadTrace {
  if (!existsSync(NAB_DIR)) {
    process.stderr.write(
      `datasets not found at ${NAB_DIR}: the benchmarks need ../shared/datasets/nab next to the repository\n`,
    );
    process.exit(2);
  }
  // The disk series repeats one timestamp 12 times (a DST change); keep the first of each.
  // Two NAB series have rows off their 5-minute grid after a gap: sum them into the
  // nearest step, as the benchmarks' published figures always did.
  return parseLoadTrace(readFileSync(path.join(NAB_DIR, file), "utf8"), file, {
    duplicates: "first",
    resample: true,
  });
}
