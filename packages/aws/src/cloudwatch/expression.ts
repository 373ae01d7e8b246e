import { CloudWatchQueryError } from "../errors.ts";

/**
 * Renames the metric ids an expression references (`m1 + m2` -> `h0 + h1`), leaving
 * string literals (`SEARCH('{AWS/ApplicationELB} m1')`) and function names (`FILL(`)
 * untouched. Ids in one GetMetricData call share a namespace, so each expression's
 * private ids must be mapped to request-wide ones.
 *
 * @example
 * renameExpressionIds("FILL(m1, 0) + m2", new Map([["m1", "h0"], ["m2", "h1"]])); // "FILL(h0, 0) + h1"
 */
export function renameExpressionIds(
  expression: string,
  rename: ReadonlyMap<string, string>,
): string {
  let out = "";
  let i = 0;
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === "'" || ch === '"') {
      const end = expression.indexOf(ch, i + 1);
      if (end < 0) {
        throw new CloudWatchQueryError(
          `expression "${expression}" has an unterminated string starting at column ${i + 1}; close the ${ch}`,
        );
      }
      out += expression.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < expression.length && /[A-Za-z0-9_]/.test(expression[j] as string)) j++;
      const word = expression.slice(i, j);
      let k = j;
      while (k < expression.length && /\s/.test(expression[k] as string)) k++;
      const isCall = expression[k] === "(";
      const mapped = isCall ? undefined : rename.get(word);
      out += mapped ?? word;
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}
