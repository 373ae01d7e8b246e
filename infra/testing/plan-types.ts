import type { ResourceRecord } from "./mocks.ts";
import type { BuildRecord } from "./rpc-server.ts";

/** Everything one stage's evaluation under the mocks produced. */
export interface PlanOutput {
  readonly stage: string;
  /** Evaluated as `sst dev` does (`$dev === true`) rather than as `sst deploy`. */
  readonly dev: boolean;
  readonly app: { readonly name: string; readonly removal: string; readonly protect: boolean };
  /** Warnings the app printed (e.g. the unknown-stage fallback notice). */
  readonly notices: readonly string[];
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly resources: readonly ResourceRecord[];
  /** Provider function tokens called (getRegion, getPolicyDocument, ...). */
  readonly calls: readonly string[];
  readonly builds: readonly BuildRecord[];
  /** Dev mode: the functions `sst dev` registered to run locally (`Runtime.AddTarget`). */
  readonly live: readonly BuildRecord[];
}
