import {
  ApplicationSignalsClient,
  BatchUpdateExclusionWindowsCommand,
  CreateServiceLevelObjectiveCommand,
  type ExclusionWindow,
  ListServiceLevelObjectiveExclusionWindowsCommand,
  ListServiceLevelObjectivesCommand,
  ListTagsForResourceCommand,
  type Tag,
  TagResourceCommand,
  UpdateServiceLevelObjectiveCommand,
} from "@aws-sdk/client-application-signals";
import type { AppSignalsSlo } from "@slo/core/export";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_CREDENTIALS, LoopbackServer, type ScriptedReply } from "../../testing/loopback.ts";
import {
  applyApplicationSignalsSlos,
  createApplicationSignalsClient,
  OWNER_TAG,
  SPEC_HASH_TAG,
  specHash,
} from "./application-signals.ts";

const client = new ApplicationSignalsClient({ region: "eu-west-1" });
// Mocks this instance only: the loopback tests below need a real client's send.
const mock = mockClient(client);
const ARN = "arn:aws:application-signals:eu-west-1:111122223333:slo/";

function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: "client",
    $metadata: { httpStatusCode: status },
  });
}

interface Stored {
  arn: string;
  name: string;
  evaluationType: "RequestBased" | "PeriodBased";
  goal: unknown;
  tags: Map<string, string>;
  windows: ExclusionWindow[];
}

/**
 * An Application Signals account in memory that refuses what the API refuses: a second
 * SLO of one name (ConflictException), both SLI kinds in one request, an update that
 * switches the SLI kind or names an unknown SLO, tags on unknown ARNs. Pages of `pageSize`.
 */
/** Set to make the fake's next BatchUpdateExclusionWindows answer with this per-SLO error. */
let refuseNextWindows: string | undefined;

function fakeAccount(pageSize = 2) {
  refuseNextWindows = undefined;
  const slos = new Map<string, Stored>();
  mock.on(ListServiceLevelObjectivesCommand).callsFake((input) => {
    const all = [...slos.values()];
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const end = start + Math.min(pageSize, input.MaxResults ?? 50);
    if ((input.MaxResults ?? 50) > 50) throw awsError("ValidationException", "MaxResults <= 50");
    return {
      SloSummaries: all.slice(start, end).map((s) => ({
        Arn: s.arn,
        Name: s.name,
        EvaluationType: s.evaluationType,
      })),
      ...(end < all.length ? { NextToken: String(end) } : {}),
    };
  });
  mock.on(CreateServiceLevelObjectiveCommand).callsFake((input) => {
    if (input.SliConfig && input.RequestBasedSliConfig) {
      throw awsError("ValidationException", "both SliConfig and RequestBasedSliConfig");
    }
    if (!input.Goal) throw awsError("ValidationException", "Goal is required");
    if (!/^[0-9A-Za-z][-._0-9A-Za-z ]{0,126}[0-9A-Za-z]$/.test(input.Name ?? "")) {
      throw awsError("ValidationException", `Name ${input.Name} does not match the pattern`);
    }
    if (slos.has(input.Name)) throw awsError("ConflictException", `${input.Name} exists`, 409);
    const s: Stored = {
      arn: `${ARN}${input.Name}`,
      name: input.Name,
      evaluationType: input.RequestBasedSliConfig ? "RequestBased" : "PeriodBased",
      goal: input.Goal,
      tags: new Map((input.Tags ?? []).map((t: Tag) => [t.Key ?? "", t.Value ?? ""])),
      windows: [],
    };
    slos.set(s.name, s);
    return {
      Slo: {
        Arn: s.arn,
        Name: s.name,
        CreatedTime: new Date(),
        LastUpdatedTime: new Date(),
        Goal: input.Goal,
      },
    };
  });
  const byArn = (arn: string | undefined) => {
    const s = [...slos.values()].find((x) => x.arn === arn);
    if (!s) throw awsError("ResourceNotFoundException", `no SLO ${arn}`, 404);
    return s;
  };
  mock.on(UpdateServiceLevelObjectiveCommand).callsFake((input) => {
    const s = byArn(input.Id);
    if (input.SliConfig && input.RequestBasedSliConfig) {
      throw awsError("ValidationException", "both SliConfig and RequestBasedSliConfig");
    }
    const kind = input.RequestBasedSliConfig
      ? "RequestBased"
      : input.SliConfig
        ? "PeriodBased"
        : s.evaluationType;
    if (kind !== s.evaluationType)
      throw awsError("ValidationException", "cannot change the evaluation type");
    s.goal = input.Goal ?? s.goal;
    return {
      Slo: {
        Arn: s.arn,
        Name: s.name,
        CreatedTime: new Date(),
        LastUpdatedTime: new Date(),
        Goal: s.goal,
      },
    };
  });
  mock.on(ListTagsForResourceCommand).callsFake((input) => ({
    Tags: [...byArn(input.ResourceArn).tags].map(([Key, Value]) => ({ Key, Value })),
  }));
  mock.on(TagResourceCommand).callsFake((input) => {
    const s = byArn(input.ResourceArn);
    for (const t of input.Tags ?? []) s.tags.set(t.Key ?? "", t.Value ?? "");
    return {};
  });
  mock.on(ListServiceLevelObjectiveExclusionWindowsCommand).callsFake((input) => ({
    ExclusionWindows: byArn(input.Id).windows,
  }));
  mock.on(BatchUpdateExclusionWindowsCommand).callsFake((input) => {
    const errors = [];
    if (refuseNextWindows) {
      const ErrorMessage = refuseNextWindows;
      refuseNextWindows = undefined;
      // Per-SLO failures come back in a 200 answer, not as an exception.
      return {
        SloIds: [],
        Errors: (input.SloIds ?? []).map((SloId: string) => ({
          SloId,
          ErrorCode: "ValidationException",
          ErrorMessage,
        })),
      };
    }
    for (const id of input.SloIds ?? []) {
      const s = [...slos.values()].find((x) => x.arn === id);
      if (!s) {
        errors.push({ SloId: id, ErrorCode: "ResourceNotFound", ErrorMessage: "no SLO" });
        continue;
      }
      const gone = new Set(
        (input.RemoveExclusionWindows ?? []).map((w: ExclusionWindow) =>
          w.StartTime?.toISOString(),
        ),
      );
      s.windows = [
        ...s.windows.filter((w) => !gone.has(w.StartTime?.toISOString())),
        ...(input.AddExclusionWindows ?? []),
      ];
    }
    return { SloIds: input.SloIds, Errors: errors };
  });
  return slos;
}

function requestSlo(name: string, goal = 99.9): AppSignalsSlo {
  const q = (Id: string, MetricName: string) => ({
    Id,
    MetricStat: {
      Metric: {
        Namespace: "AWS/ApplicationELB",
        MetricName,
        Dimensions: [{ Name: "Service", Value: name }],
      },
      Period: 60,
      Stat: "Sum",
    },
    ReturnData: true,
  });
  return {
    slo: name,
    objective: "",
    request: {
      Name: name,
      RequestBasedSliConfig: {
        RequestBasedSliMetricConfig: {
          TotalRequestCountMetric: [q("total", "RequestCount")],
          MonitoredRequestCountMetric: { BadCountMetric: [q("bad", "HTTPCode_Target_5XX_Count")] },
        },
      },
      Goal: {
        Interval: { RollingInterval: { DurationUnit: "DAY", Duration: 30 } },
        AttainmentGoal: goal,
      },
      BurnRateConfigurations: [{ LookBackWindowMinutes: 60 }],
      Tags: [
        { Key: OWNER_TAG, Value: name },
        { Key: "slo-platform:service", Value: name },
      ],
    },
    exclusionWindows: [],
    cannotExpress: [],
  };
}

function periodSlo(name: string): AppSignalsSlo {
  const base = requestSlo(name);
  const { RequestBasedSliConfig: _drop, ...rest } = base.request ?? ({} as never);
  return {
    ...base,
    request: {
      ...rest,
      SliConfig: {
        SliMetricConfig: {
          MetricDataQueries: [
            {
              Id: "p99",
              MetricStat: {
                Metric: {
                  Namespace: "AWS/ApplicationELB",
                  MetricName: "TargetResponseTime",
                  Dimensions: [],
                },
                Period: 60,
                Stat: "p99",
              },
              ReturnData: true,
            },
          ],
          PeriodSeconds: 60,
        },
        MetricThreshold: 0.3,
        ComparisonOperator: "LessThanOrEqualTo",
      },
    },
    exclusionWindows: [
      {
        Window: { DurationUnit: "MINUTE", Duration: 60 },
        StartTime: "2026-12-24T00:00:00.000Z",
        Reason: "freeze",
      },
    ],
  };
}

const writes = () =>
  mock.commandCalls(CreateServiceLevelObjectiveCommand).length +
  mock.commandCalls(UpdateServiceLevelObjectiveCommand).length +
  mock.commandCalls(TagResourceCommand).length +
  mock.commandCalls(BatchUpdateExclusionWindowsCommand).length;

beforeEach(() => {
  mock.reset();
});

describe("applyApplicationSignalsSlos", () => {
  it("creates the missing SLOs with the owner and spec-hash tags and their exclusion windows", async () => {
    const slos = fakeAccount();
    const input = [requestSlo("slo-a"), periodSlo("slo-b")];
    const out = await applyApplicationSignalsSlos(input, { client });
    expect(out.map((r) => [r.name, r.outcome])).toEqual([
      ["slo-a", "created"],
      ["slo-b", "created"],
    ]);
    expect(slos.get("slo-a")?.tags.get(OWNER_TAG)).toBe("slo-a");
    expect(slos.get("slo-a")?.tags.get(SPEC_HASH_TAG)).toBe(specHash(input[0] as AppSignalsSlo));
    expect(slos.get("slo-b")?.evaluationType).toBe("PeriodBased");
    expect(
      slos.get("slo-b")?.windows.map((w) => [w.StartTime?.toISOString(), w.Window?.Duration]),
    ).toEqual([["2026-12-24T00:00:00.000Z", 60]]);
    // The create request carries the core's tags unchanged plus the hash.
    const tags = mock.commandCalls(CreateServiceLevelObjectiveCommand)[0]?.args[0].input.Tags;
    expect(tags?.map((t) => t.Key)).toEqual([OWNER_TAG, "slo-platform:service", SPEC_HASH_TAG]);
  });

  it("is idempotent: a second apply over a paginated list makes zero write calls", async () => {
    fakeAccount(2);
    const input = [
      requestSlo("slo-a"),
      requestSlo("slo-b"),
      periodSlo("slo-c"),
      requestSlo("slo-d"),
      requestSlo("slo-e"),
    ];
    await applyApplicationSignalsSlos(input, { client });
    mock.resetHistory();
    const again = await applyApplicationSignalsSlos(input, { client });
    expect(again.every((r) => r.outcome === "unchanged")).toBe(true);
    expect(writes()).toBe(0);
    // Five SLOs at two per page: three pages, each token passed back.
    const lists = mock
      .commandCalls(ListServiceLevelObjectivesCommand)
      .map((c) => c.args[0].input.NextToken);
    expect(lists).toEqual([undefined, "2", "4"]);
  });

  it("updates a changed SLO, re-tags its hash, and the next run finds it unchanged", async () => {
    const slos = fakeAccount();
    await applyApplicationSignalsSlos([requestSlo("slo-a", 99.9)], { client });
    mock.resetHistory();
    const changed = requestSlo("slo-a", 99.5);
    const out = await applyApplicationSignalsSlos([changed], { client });
    expect(out[0]?.outcome).toBe("updated");
    const update = mock.commandCalls(UpdateServiceLevelObjectiveCommand)[0]?.args[0].input;
    expect(update?.Id).toBe(`${ARN}slo-a`);
    expect(update?.Goal?.AttainmentGoal).toBe(99.5);
    expect(update).not.toHaveProperty("SliConfig");
    expect(mock.commandCalls(CreateServiceLevelObjectiveCommand)).toHaveLength(0);
    expect(slos.get("slo-a")?.tags.get(SPEC_HASH_TAG)).toBe(specHash(changed));
    mock.resetHistory();
    expect((await applyApplicationSignalsSlos([changed], { client }))[0]?.outcome).toBe(
      "unchanged",
    );
    expect(writes()).toBe(0);
  });

  it("syncs exclusion windows on update: adds the new one and removes the dropped one", async () => {
    const slos = fakeAccount();
    const first = periodSlo("slo-b");
    await applyApplicationSignalsSlos([first], { client });
    const moved: AppSignalsSlo = {
      ...first,
      exclusionWindows: [
        {
          Window: { DurationUnit: "MINUTE", Duration: 60 },
          StartTime: "2026-12-31T00:00:00.000Z",
          Reason: "nye",
        },
      ],
    };
    expect((await applyApplicationSignalsSlos([moved], { client }))[0]?.outcome).toBe("updated");
    expect(slos.get("slo-b")?.windows.map((w) => w.StartTime?.toISOString())).toEqual([
      "2026-12-31T00:00:00.000Z",
    ]);
  });

  it("fails an SLO whose exclusion windows AWS refused in a 200 answer; the next run repairs it", async () => {
    const slos = fakeAccount();
    refuseNextWindows = "bad window";
    const input = [periodSlo("slo-b")];
    const out = await applyApplicationSignalsSlos(input, { client });
    expect(out[0]?.outcome).toBe("failed");
    expect(out[0]?.reason).toMatch(
      /BatchUpdateExclusionWindows failed for .*slo-b: ValidationException: bad window/,
    );
    expect(slos.get("slo-b")?.tags.get(SPEC_HASH_TAG)).toBe("pending-exclusion-windows");
    const again = await applyApplicationSignalsSlos(input, { client });
    expect(again[0]).toMatchObject({ outcome: "updated" });
    expect(slos.get("slo-b")?.windows).toHaveLength(1);
    expect(slos.get("slo-b")?.tags.get(SPEC_HASH_TAG)).toBe(specHash(input[0] as AppSignalsSlo));
  });

  it("refuses an SLO it did not create and a change of evaluation type, and still applies the others", async () => {
    const slos = fakeAccount();
    await applyApplicationSignalsSlos([requestSlo("typed")], { client });
    slos.set("foreign", {
      arn: `${ARN}foreign`,
      name: "foreign",
      evaluationType: "RequestBased",
      goal: {},
      tags: new Map([["team", "payments"]]),
      windows: [],
    });
    mock.resetHistory();
    const cannot: AppSignalsSlo = {
      ...requestSlo("x"),
      request: undefined,
      cannotExpress: ["a ratio of two gauges"],
    };
    const out = await applyApplicationSignalsSlos(
      [requestSlo("foreign"), periodSlo("typed"), cannot, requestSlo("fresh")],
      { client },
    );
    expect(out.map((r) => r.outcome)).toEqual(["refused", "refused", "refused", "created"]);
    expect(out[0]?.reason).toMatch(/without the slo-platform:slo tag/);
    expect(out[1]?.reason).toMatch(/RequestBased.*PeriodBased.*cannot change the evaluation type/);
    expect(out[2]?.reason).toMatch(/cannot express it: a ratio of two gauges/);
    // Nothing was written to the refused ones; nothing is ever deleted.
    expect(mock.commandCalls(UpdateServiceLevelObjectiveCommand)).toHaveLength(0);
    expect(mock.commandCalls(TagResourceCommand)).toHaveLength(0);
    expect(slos.get("foreign")?.tags.has(SPEC_HASH_TAG)).toBe(false);
  });

  it("reports an AWS error per SLO and goes on with the rest", async () => {
    fakeAccount();
    mock
      .on(CreateServiceLevelObjectiveCommand, { Name: "bad" })
      .rejects(awsError("ValidationException", "1 validation error detected: Goal.AttainmentGoal"));
    const out = await applyApplicationSignalsSlos([requestSlo("bad"), requestSlo("good")], {
      client,
    });
    expect(out.map((r) => r.outcome)).toEqual(["failed", "created"]);
    expect(out[0]?.reason).toMatch(
      /CreateServiceLevelObjective failed: ValidationException: 1 validation error/,
    );
  });

  it("plans without writing when dryRun is set", async () => {
    fakeAccount();
    await applyApplicationSignalsSlos([requestSlo("slo-a")], { client });
    mock.resetHistory();
    const out = await applyApplicationSignalsSlos(
      [requestSlo("slo-a", 99), requestSlo("slo-n"), requestSlo("slo-a2")],
      {
        client,
        dryRun: true,
      },
    );
    expect(out.map((r) => r.outcome)).toEqual(["updated", "created", "created"]);
    expect(writes()).toBe(0);
  });
});

// Throttling needs the real client's retry middleware (aws-sdk-client-mock replaces send),
// so these run the real restJson1 client against a loopback endpoint.
describe("applyApplicationSignalsSlos against a loopback endpoint", () => {
  const server = new LoopbackServer();
  let endpoint = "";
  beforeAll(async () => {
    endpoint = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  const real = (maxAttempts: number) =>
    createApplicationSignalsClient({
      region: "eu-west-1",
      endpoint,
      credentials: FAKE_CREDENTIALS,
      maxAttempts,
    });
  const JSON_HEADERS = { "content-type": "application/json" };
  const emptyList: ScriptedReply = {
    status: 200,
    headers: JSON_HEADERS,
    body: '{"SloSummaries":[]}',
  };
  const throttled: ScriptedReply = {
    status: 429,
    headers: { ...JSON_HEADERS, "x-amzn-errortype": "ThrottlingException" },
    body: '{"message":"Rate exceeded"}',
  };
  const created = (name: string): ScriptedReply => ({
    status: 200,
    headers: JSON_HEADERS,
    body: JSON.stringify({
      Slo: {
        Arn: `${ARN}${name}`,
        Name: name,
        CreatedTime: 1_700_000_000,
        LastUpdatedTime: 1_700_000_000,
        Goal: {},
      },
    }),
  });

  it("retries a throttled create and succeeds", async () => {
    server.script([emptyList, throttled, created("t")]);
    const out = await applyApplicationSignalsSlos([requestSlo("t")], { client: real(3) });
    expect(out[0]).toMatchObject({ outcome: "created", arn: `${ARN}t` });
    expect(server.requests.map((r) => `${r.method} ${r.url.split("?")[0]}`)).toEqual([
      "POST /slos",
      "POST /slo",
      "POST /slo",
    ]);
    const sent = JSON.parse(server.requests[2]?.body ?? "{}");
    expect(sent.Tags.map((t: { Key: string }) => t.Key)).toContain(SPEC_HASH_TAG);
  });

  it("reports persistent throttling as failed for that SLO and creates the next", async () => {
    server.script([emptyList, throttled, throttled, created("cool")]);
    const out = await applyApplicationSignalsSlos([requestSlo("hot"), requestSlo("cool")], {
      client: real(2),
    });
    expect(out.map((r) => r.outcome)).toEqual(["failed", "created"]);
    expect(out[0]?.reason).toMatch(
      /CreateServiceLevelObjective failed: ThrottlingException: Rate exceeded \(HTTP 429, 2 attempts\)/,
    );
  });
});

describe("specHash", () => {
  it("ignores key order and tags but not values", () => {
    const a = requestSlo("slo-a");
    const reordered = {
      ...a,
      request: { ...(a.request as NonNullable<AppSignalsSlo["request"]>), Tags: [] },
    };
    expect(specHash(reordered)).toBe(specHash(a));
    expect(specHash(requestSlo("slo-a", 99.5))).not.toBe(specHash(a));
  });
});
