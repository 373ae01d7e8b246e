import type { Context } from "aws-lambda";

/**
 * A Lambda `Context` for local runs and tests: the same fields the runtime passes, with
 * `getRemainingTimeInMillis` counting down from `timeoutMs` so time budgets behave as
 * they do in Lambda.
 *
 * @example
 * const ctx = fakeLambdaContext("slo-calculator", { timeoutMs: 60_000 });
 * ctx.getRemainingTimeInMillis(); // ~60000
 */
export function fakeLambdaContext(
  functionName: string,
  opts: { timeoutMs?: number; now?: () => number; requestId?: string } = {},
): Context {
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const deadline = now() + timeoutMs;
  const region = process.env.AWS_REGION ?? "local";
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: opts.requestId ?? `local-${now().toString(36)}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
