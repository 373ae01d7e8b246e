/** Structured logs: one JSON object per line, the shape CloudWatch Logs Insights parses. */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogEntry {
  readonly level: LogLevel;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Receives finished log lines; `process.stdout` in production, an array in tests. */
export type LogSink = (line: string) => void;

export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/**
 * A logger writing `{"ts","level","service","msg",...fields}` lines to `sink`.
 *
 * @example
 * const log = createLogger("order-service", (l) => process.stdout.write(`${l}\n`));
 * log("info", "listening", { port: 8080 });
 */
export function createLogger(service: string, sink: LogSink): Logger {
  return (level, msg, fields = {}) => {
    sink(JSON.stringify({ ts: new Date().toISOString(), level, service, msg, ...fields }));
  };
}
