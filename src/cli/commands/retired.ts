/**
 * `sentinel-iac retired`: the detections retired.yaml acknowledges as removed.
 * With `--urns`, the Pulumi URNs a deploy pipeline unprotects before
 * `pulumi up`, so the retired rules (protected while they were deployed) can
 * be deleted: see docs/safe-deletes.md.
 */
import { retiredDetections, retiredUrns, type RetiredOptions as RetiredUseCaseOptions } from "../../app/retired";
import type { Output } from "../output";

export interface RetiredOptions extends RetiredUseCaseOptions {
  urns?: boolean;
  format: "text" | "json";
}

export function runRetired(options: RetiredOptions, out: Output): number {
  if (options.urns) {
    const urns = retiredUrns(options);
    out.write(options.format === "json" ? `${JSON.stringify(urns, null, 2)}\n` : urns.map((u) => `${u}\n`).join(""));
    return 0;
  }
  const retired = retiredDetections(options);
  if (options.format === "json") {
    out.write(`${JSON.stringify(retired, null, 2)}\n`);
  } else if (retired.length === 0) {
    out.write("No retired detections (retired.yaml lists none).\n");
  } else {
    for (const r of retired) {
      const details = [
        r.name,
        r.date ? `retired ${r.date}` : undefined,
        r.ticket ? `ticket ${r.ticket}` : undefined,
        r.stacks ? `from stack(s) ${r.stacks.join(", ")}` : undefined,
      ].filter(Boolean);
      out.write(`${[r.id, ...details].join("  ")}\n    ${r.reason}\n`);
    }
  }
  return 0;
}
