import type { AnyClientPlugin } from "../../packages/aws/src/clients.ts";
import {
  type AwsEnv,
  type IamRequest,
  iamRequestsFor,
  missingKeyRequest,
  servicePrefix,
} from "./iam-requests.ts";

/** One recorded authorization, with the SDK call that caused it. */
export interface RecordedCall extends IamRequest {
  /** e.g. `S3Client PutObjectCommand`. */
  readonly call: string;
  /** The IAM decision when the recorder had a policy to ask. */
  readonly decision?: "Allowed" | "Denied";
}

/** Decides a request as IAM would (the contract passes the planned role's policy). */
export type Authorize = (request: IamRequest) => Promise<boolean>;

interface MiddlewareContext {
  readonly clientName?: string;
  readonly commandName?: string;
}
type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;

/** What AWS answers an unauthorized call with (code per service, HTTP 403). */
function accessDenied(request: IamRequest): Error {
  const service = request.action.split(":")[0];
  const name =
    service === "s3"
      ? "AccessDenied"
      : service === "sns"
        ? "AuthorizationError"
        : "AccessDeniedException";
  return Object.assign(
    new Error(
      `User is not authorized to perform: ${request.action} on resource: ${request.resource} because no identity-based policy allows the ${request.action} action`,
    ),
    { name, Code: name, $fault: "client", $metadata: { httpStatusCode: 403 } },
  );
}

/**
 * Records the IAM requests behind every SDK call made through clients carrying its
 * `plugin()` (an `initialize` middleware on the real client, so it sees exactly the
 * commands the code sends). With `authorize`, a denied request fails the call with
 * AWS's 403, as the deployed role would: code paths that swallow errors still show.
 *
 * @example
 * const rec = new CallRecorder(env);
 * const ecs = createEcsClient({ region: env.region, plugins: [rec.plugin(), fake.plugin()] });
 * await runTheOperation(ecs);
 * rec.calls; // [{ action: "ecs:DescribeServices", resource: "arn:aws:ecs:...", ... }]
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  readonly #env: AwsEnv;
  #authorize: Authorize | undefined;

  constructor(env: AwsEnv, authorize?: Authorize) {
    this.#env = env;
    this.#authorize = authorize;
  }

  /** Replaces the policy the recorder asks (one recorder per role). */
  authorizeWith(authorize: Authorize | undefined): void {
    this.#authorize = authorize;
  }

  async #check(call: string, request: IamRequest): Promise<void> {
    const allowed = this.#authorize ? await this.#authorize(request) : undefined;
    this.calls.push({
      ...request,
      call,
      ...(allowed !== undefined ? { decision: allowed ? "Allowed" : "Denied" } : {}),
    });
    if (allowed === false) throw accessDenied(request);
  }

  /** The SDK plugin: add it to every client of the code under test. */
  plugin(): AnyClientPlugin {
    const record =
      (next: Next, context: MiddlewareContext) =>
      async (args: { input: Record<string, unknown> }) => {
        const clientName = context.clientName ?? "?";
        const commandName = context.commandName ?? "?";
        const call = `${clientName} ${commandName}`;
        for (const request of iamRequestsFor(clientName, commandName, args.input, this.#env)) {
          await this.#check(call, request);
        }
        try {
          return await next(args);
        } catch (error) {
          const isMissingKey =
            servicePrefix(clientName) === "s3" &&
            commandName === "GetObjectCommand" &&
            (error as { name?: string }).name === "NoSuchKey";
          if (isMissingKey) await this.#check(call, missingKeyRequest(args.input, this.#env));
          throw error;
        }
      };
    return {
      applyToStack: (stack) => {
        stack.add(record as never, {
          step: "initialize",
          priority: "high",
          name: "permissionContractRecorder",
        });
      },
    };
  }
}
