import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startRpcServer } from "./rpc-server.ts";

async function call(url: string, method: string, args: Record<string, unknown> = {}) {
  const res = await fetch(`${url}/rpc`, {
    method: "POST",
    body: JSON.stringify({ method, params: [args] }),
  });
  return (await res.json()) as { result?: Record<string, unknown>; error?: string };
}

describe("fake SST CLI server", () => {
  for (const dev of [false, true]) {
    it(`${dev ? "answers" : "refuses"} the Live Lambda calls in ${dev ? "dev" : "deploy"} mode`, async () => {
      const work = mkdtempSync(path.join(tmpdir(), "slo-rpc-"));
      const rpc = await startRpcServer(work, "us-east-1", "123456789012", dev);
      try {
        const appsync = await call(rpc.url, "Provider.Aws.Appsync");
        const target = await call(rpc.url, "Runtime.AddTarget", {
          functionID: "Job",
          handler: "src/job.handler",
          runtime: "nodejs24.x",
          copyFiles: [{ from: "a.json", to: "a.json" }],
        });
        if (dev) {
          expect(appsync.result?.http).toMatch(/appsync-api\.us-east-1\.amazonaws\.com$/);
          expect(appsync.result?.realtime).toMatch(/appsync-realtime-api/);
          expect(rpc.live).toEqual([
            {
              functionId: "Job",
              handler: "src/job.handler",
              runtime: "nodejs24.x",
              copyFiles: [{ from: "a.json", to: "a.json" }],
            },
          ]);
        } else {
          // SST's rpc client turns this message into MethodNotFoundError.
          expect(appsync.error).toBe("rpc: can't find method Provider.Aws.Appsync");
          expect(target.error).toBe("rpc: can't find method Runtime.AddTarget");
          expect(rpc.live).toEqual([]);
        }
      } finally {
        await rpc.close();
      }
    });
  }
});
