import { devProfile } from "./dev.ts";
import { productionProfile } from "./production.ts";
import type { ProfileName, StageProfile } from "./profile.ts";
import { stagingProfile } from "./staging.ts";

export { StageConfigError } from "./errors.ts";
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
    const profile = PROFILES[name as ProfileName](env);
    return { stage: name, profile };
  }
  return {
    stage: name,
    profile: devProfile(env),
    notice: `stage "${name}" has no profile in stacks/; using the dev profile (add stacks/${name}.ts and list it in stacks/index.ts for a dedicated one)`,
  };
}
