import { devProfile } from "./dev.ts";
import { StageEnvError } from "./errors.ts";
import { productionProfile } from "./production.ts";
import type { ProfileName, StageProfile } from "./profile.ts";
import { stagingProfile } from "./staging.ts";

export { StageConfigError, StageEnvError } from "./errors.ts";
export {
  callersOf,
  FLEET,
  type FleetScaling,
  type FleetService,
  validateFleetCalls,
} from "./fleet.ts";
export type { AlertTopicName, ProfileName, StageProfile, ZeroTrustPosture } from "./profile.ts";

type Env = Readonly<Record<string, string | undefined>>;

const PROFILES: Readonly<Record<ProfileName, (env: Env) => StageProfile>> = {
  dev: devProfile,
  staging: stagingProfile,
  production: productionProfile,
};

export interface ResolvedStage {
  /** The stage name as given (personal stages like `alice` keep their own name). */
  readonly stage: string;
  readonly profile: StageProfile;
  /** Set when the stage had no profile and fell back to `dev`. */
  readonly notice?: string;
}

/**
 * Picks the stage profile for a stage name. Unknown names (personal or PR stages) run
 * the `dev` profile, and the returned `notice` says so, so nobody mistakes a typo of
 * `production` for a production-sized deploy.
 *
 * @example
 * resolveStage("production").profile.network.azs; // 3
 * resolveStage("pr-42").notice; // 'stage "pr-42" has no profile in stacks/; using the dev profile ...'
 */
export function resolveStage(name: string, env: Env = {}): ResolvedStage {
  if (Object.hasOwn(PROFILES, name)) {
    const profile = withShardingFromEnv(PROFILES[name as ProfileName](env), env);
    return { stage: name, profile };
  }
  return {
    stage: name,
    profile: withShardingFromEnv(devProfile(env), env),
    notice: `stage "${name}" has no profile in stacks/; using the dev profile (add stacks/${name}.ts and list it in stacks/index.ts for a dedicated one)`,
  };
}

/**
 * `SLO_SHARD_ABOVE` / `SLO_SLOS_PER_SHARD` override the profile's `jobs.shardAbove` /
 * `jobs.slosPerShard` for one deploy, so a stage can run (and the tests can plan) the
 * sharded path with the 40-SLO fleet: `SLO_SHARD_ABOVE=10 SLO_SLOS_PER_SHARD=10 sst deploy`.
 *
 * @example
 * withShardingFromEnv(profile, { SLO_SHARD_ABOVE: "10" }).jobs.shardAbove; // 10
 */
export function withShardingFromEnv(profile: StageProfile, env: Env): StageProfile {
  const read = (name: string, min: number, field: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      throw new StageEnvError(
        `environment variable ${name}="${raw}" is not a whole number >= ${min}: unset it to use the stage profile's jobs.${field}, or set e.g. ${name}=10`,
      );
    }
    return n;
  };
  const shardAbove = read("SLO_SHARD_ABOVE", 0, "shardAbove");
  const slosPerShard = read("SLO_SLOS_PER_SHARD", 1, "slosPerShard");
  if (shardAbove === undefined && slosPerShard === undefined) return profile;
  return {
    ...profile,
    jobs: {
      ...profile.jobs,
      ...(shardAbove !== undefined ? { shardAbove } : {}),
      ...(slosPerShard !== undefined ? { slosPerShard } : {}),
    },
  };
}
