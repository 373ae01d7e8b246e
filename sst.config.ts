/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The SLO platform as one SST app: `sst deploy --stage <name>`. The stage picks a
 * profile from stacks/ (unknown stages run the dev profile); infra/ declares the
 * resources. Production is protected from `sst remove` and keeps its data.
 */
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "slo-platform",
      removal: production ? "retain" : "remove",
      protect: production,
      home: "aws",
    };
  },
  async run() {
    const { resolveStage, FLEET } = await import("./stacks/index.ts");
    const { loadFleetSlos } = await import("./infra/slos.ts");
    const { deployPlatform } = await import("./infra/index.ts");
    const { profile, notice } = resolveStage($app.stage, process.env);
    if (notice) console.warn(`notice: ${notice}`);
    const root = $cli.paths.root;
    const slos = await loadFleetSlos(root, FLEET);
    return deployPlatform({ root, profile, fleet: FLEET, slos });
  },
});
