/**
 * Container entry point: `node src/main.ts` (Node 24 strips the types). Reads the
 * configuration from the environment, starts the service, and shuts down gracefully
 * on SIGTERM (ECS stop) or SIGINT.
 */
import { loadConfig, ServiceConfigError } from "./config.ts";
import {
  DownstreamConfigError,
  downstreamCaller,
  parseDownstreams,
  taskRoleCredentials,
} from "./downstream.ts";
import { startSampleService } from "./server.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  let downstreams: ReturnType<typeof parseDownstreams>;
  try {
    config = loadConfig(process.env);
    downstreams = parseDownstreams(process.env.DOWNSTREAMS);
  } catch (err) {
    if (err instanceof ServiceConfigError || err instanceof DownstreamConfigError) {
      process.stderr.write(
        `${JSON.stringify({ ts: new Date().toISOString(), level: "error", msg: "invalid configuration", error: err.message })}\n`,
      );
      process.exit(2);
    }
    throw err;
  }
  const service = await startSampleService(config, {
    downstreams: downstreamCaller(downstreams, {
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      credentials: taskRoleCredentials(process.env),
    }),
  });
  const stop = (signal: string) => {
    process.stdout.write(
      `${JSON.stringify({ ts: new Date().toISOString(), level: "info", service: config.serviceName, msg: "signal", signal })}\n`,
    );
    service.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(
          `${JSON.stringify({ level: "error", msg: "shutdown failed", error: String(err) })}\n`,
        );
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

await main();
