import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

/**
 * What the fake SST CLI server saw: one entry per `Runtime.Build` (a Lambda bundle) or,
 * in dev mode, per `Runtime.AddTarget` (a function `sst dev` runs locally on demand).
 */
export interface BuildRecord {
  readonly functionId: string;
  readonly handler: string;
  readonly runtime: string;
  /** `copyFiles` entries the function asked for (`from` paths relative to the app root). */
  readonly copyFiles?: readonly { readonly from: string; readonly to?: string }[];
}

/**
 * A loopback stand-in for the SST CLI's JSON-RPC server (`SST_SERVER`), answering
 * the calls components make while declaring resources: `Provider.Aws.Bootstrap`
 * (asset bucket / ECR repo), `Runtime.Build` (bundle a handler) and, in dev mode
 * only, `Provider.Aws.Appsync` (the Live Lambda event endpoints the dev bridge stubs
 * connect to) and `Runtime.AddTarget` (register a function to run locally); `sst
 * deploy` never makes those two calls, so in deploy mode they are refused. Builds write a
 * tiny module to `workDir` rather than bundling, because deploy-time bundling is
 * esbuild's job, not something a plan should depend on.
 */
export async function startRpcServer(
  workDir: string,
  region: string,
  accountId: string,
  dev = false,
) {
  const builds: BuildRecord[] = [];
  const live: BuildRecord[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      const { method, params } = JSON.parse(body) as { method: string; params: unknown[] };
      const args = (params[0] ?? {}) as Record<string, unknown>;
      let result: unknown;
      let error: string | undefined;
      if (method === "Provider.Aws.Bootstrap") {
        result = {
          asset: `sst-asset-${accountId}`,
          assetEcrRegistryId: accountId,
          assetEcrUrl: `${accountId}.dkr.ecr.${region}.amazonaws.com/sst-asset`,
          state: `sst-state-${accountId}`,
          appsyncHttp: "",
          appsyncRealtime: "",
        };
      } else if (method === "Runtime.Build") {
        const functionId = String(args.functionID ?? `fn${builds.length}`);
        const handler = String(args.handler ?? "");
        const out = path.join(workDir, "builds", functionId);
        const parsed = path.posix.parse(handler);
        mkdirSync(path.join(out, parsed.dir), { recursive: true });
        writeFileSync(
          path.join(out, parsed.dir, `${parsed.name}.mjs`),
          `export const ${parsed.ext.slice(1) || "handler"} = async () => ({});\n`,
        );
        builds.push({ functionId, handler, runtime: String(args.runtime ?? "") });
        result = { handler, out, errors: [], sourcemaps: [] };
      } else if (method === "Runtime.AddTarget" && dev) {
        live.push({
          functionId: String(args.functionID ?? `fn${live.length}`),
          handler: String(args.handler ?? ""),
          runtime: String(args.runtime ?? ""),
          copyFiles: (args.copyFiles as BuildRecord["copyFiles"]) ?? [],
        });
        result = {};
      } else if (method === "Provider.Aws.Appsync" && dev) {
        const api = `sstdev${accountId}`;
        result = {
          http: `${api}.appsync-api.${region}.amazonaws.com`,
          realtime: `${api}.appsync-realtime-api.${region}.amazonaws.com`,
        };
      } else {
        error = `rpc: can't find method ${method}`;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(error ? { error } : { result }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("rpc server has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    builds,
    live,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open for the server's idle timeout.
        server.closeAllConnections();
      }),
  };
}
