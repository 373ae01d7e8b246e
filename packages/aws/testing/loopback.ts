import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One scripted reply of the loopback server. */
export interface ScriptedReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
  /** Wait this long before answering (simulates a slow service). */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly target: string | undefined;
  readonly body: string;
}

/**
 * A loopback HTTP server (127.0.0.1, random port) that answers with scripted replies in
 * order (the last one repeats), recording every request. Used as an endpoint override
 * so the real SDK clients exercise their retry and error parsing against it.
 */
export class LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  readonly #server: Server;
  #replies: ScriptedReply[] = [];

  constructor() {
    this.#server = createServer((req, res) => {
      void readBody(req).then((body) => {
        this.requests.push({
          method: req.method ?? "",
          url: req.url ?? "",
          target: req.headers["x-amz-target"] as string | undefined,
          body,
        });
        const i = Math.min(this.requests.length - 1, this.#replies.length - 1);
        const reply = this.#replies[i] ?? { status: 500, body: "no scripted reply" };
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { ...reply.headers });
          res.end(reply.body);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs).unref();
        else send();
      });
    });
  }

  /** Replaces the script and clears the request log. */
  script(replies: ScriptedReply[]): void {
    this.#replies = replies;
    this.requests.length = 0;
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** Static credentials for the loopback endpoint (never real). */
export const FAKE_CREDENTIALS = { accessKeyId: "AKIDLOOPBACK", secretAccessKey: "loopback-secret" };
