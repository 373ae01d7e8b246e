import { mkdirSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";

/** What the fake SST CLI server saw: one entry per `Runtime.Build` (a Lambda bundle). */
export interface BuildRecord {
  readonly functionId: string;
  readonly handler: string;
  readonly runtime: string;
}

/**
 * A loopback stand-in for the SST CLI's JSON-RPC server (`SST_SERVER`), answering
 * the two calls components make while declaring resources: `Provider.Aws.Bootstrap`
 * (asset bucket / ECR repo) and `Runtime.Build` (bundle a handler). Builds write a
 * tiny module to `workDir` rather than bundling, because deploy-time bundling is
 * esbuild's job, not something a plan should depend on.
 */
export async function startRpcServer(workDir: string, region: string, accountId: string) {
  const builds: BuildRecord[] = [];
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open for the server's idle timeout.
        server.closeAllConnections();
      }),
  };
}
