/** `validate --watch` re-validates when a content file changes, reusing what did not change. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { watchValidate } from "../src/cli/commands/validate";
import { copyProjectContent } from "./helpers/content";

describe("validate --watch", () => {
  it("re-validates after a file changes and reports the new problem", async () => {
    const dir = copyProjectContent();
    let output = "";
    const controller = new AbortController();
    const done = watchValidate({ content: dir, format: "text", cache: false }, { write: (t: string) => (output += t) }, controller.signal);
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 300 && !pattern.test(output); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toMatch(pattern);
    };
    await waitFor(/Watching /);
    const before = output.length;
    const file = join(dir, "rules/analytics/ROPC-AuthenticationDetected.yaml");
    const { readFileSync } = await import("node:fs");
    writeFileSync(file, readFileSync(file, "utf8").replace('| where AuthenticationProtocol =~ "ropc"', '| where AuthProtocol =~ "ropc"'));
    await waitFor(/changed ---[\s\S]*Checked 9 files/);
    const rerun = output.slice(before);
    expect(rerun).toContain("ROPC-AuthenticationDetected.yaml");
    expect(rerun).toContain("[kql/unknown-column] query: The name 'AuthProtocol'");
    expect(rerun).toContain("1 error,");
    controller.abort();
    await done;
  });
});
