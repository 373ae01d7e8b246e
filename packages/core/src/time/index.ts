export { DurationFormatError, formatDuration, parseDuration } from "./duration.ts";
