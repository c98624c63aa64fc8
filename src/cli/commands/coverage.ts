/**
 * `sentinel-iac coverage`: the MITRE ATT&CK tactics and techniques the enabled
 * analytics rules detect, as an ATT&CK Navigator layer and a Markdown table.
 */
import { writeFileSync } from "node:fs";
import { coverageForStack } from "../../app/coverage";
import { coverageMarkdown, navigatorLayer } from "../../coverage/render";
import { resolve } from "node:path";
import { shownPath } from "../../loader/contentFolder";
import { requireOutputFolder, type Output } from "../output";

export interface CoverageOptions {
  content?: string;
  stack?: string;
  format: "markdown" | "json";
  /** Write the ATT&CK Navigator layer here. */
  layer?: string;
  /** Also write the report here. */
  output?: string;
  projectDir?: string;
  allowEmpty?: boolean;
}

export function runCoverage(options: CoverageOptions, out: Output, err: Output): number {
  requireOutputFolder("--layer", options.layer);
  requireOutputFolder("--output", options.output);
  const coverage = coverageForStack(options);
  const label = options.stack ? `stack ${options.stack}` : "this repository";
  if (options.layer) {
    writeFileSync(options.layer, `${JSON.stringify(navigatorLayer(coverage, label), null, 2)}\n`);
    // On stderr: stdout is the report, often redirected into a file or a comment.
    err.write(`Wrote the ATT&CK Navigator layer to ${shownPath(resolve(options.layer))}.\n`);
  }
  const text =
    options.format === "json" ? `${JSON.stringify({ formatVersion: 1, ...coverage }, null, 2)}\n` : coverageMarkdown(coverage, label);
  out.write(text);
  if (options.output) writeFileSync(options.output, text);
  return 0;
}
