export { DurationFormatError, formatDuration, parseDuration } from "./duration.ts";
export { type ParseInstantOptions, parseInstant, TimeFormatError } from "./instant.ts";
