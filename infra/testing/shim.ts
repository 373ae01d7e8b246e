/**
 * The `$` globals SST's CLI injects into `sst.config.ts` (its `src/shim/run.js`),
 * rebuilt from the same modules with types.
 */
import * as util from "@pulumi/pulumi";
import { $asset, $transform } from "../../.sst/platform/src/components/component.ts";
import { Link } from "../../.sst/platform/src/components/link.ts";
import { $config } from "../../.sst/platform/src/config.ts";

export function installShimGlobals(target: Record<string, unknown>): void {
  Object.assign(target, {
    $linkable: Link.linkable,
    $output: util.output,
    $resolve: util.all,
    $interpolate: util.interpolate,
    $concat: util.concat,
    $jsonParse: util.jsonParse,
    $jsonStringify: util.jsonStringify,
    $util: util,
    $asset,
    $config,
    $transform,
    $secrets: JSON.parse(process.env.SST_SECRETS || "{}"),
  });
}
