/** Progress on long work: on a terminal by default, quiet in CI logs and machine formats unless --progress. */
import { describe, expect, it } from "vitest";
import { runValidate } from "../src/cli/commands/validate";
import { commandProgress } from "../src/cli/progress";
import type { ProgressReporter } from "../src/util/progress";
import { copySeedContent } from "./helpers/content";

class Recorder {
  text = "";
  isTTY?: boolean;
  constructor(tty: boolean) {
    this.isTTY = tty;
  }
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

function exercise(progress: ProgressReporter & { stop(): void }) {
  progress.phase("Reading workspace law-soc: resources");
  progress.advance(120);
  progress.wait("throttled by Azure (429), retrying in 20 s (2/5)");
  progress.stop();
}

describe("commandProgress", () => {
  it("is silent off a terminal, in CI and with machine formats, unless forced", () => {
    for (const [tty, env, machineFormat] of [
      [false, {}, false],
      [true, { CI: "true" }, false],
      [true, { TERM: "dumb" }, false],
      [true, {}, true],
    ] as const) {
      const stream = new Recorder(tty);
      exercise(commandProgress({ stream, env, machineFormat }));
      expect(stream.text, JSON.stringify({ tty, env, machineFormat })).toBe("");
    }
  });

  it("with --progress off a terminal, writes a line per phase and per wait", () => {
    const stream = new Recorder(false);
    exercise(commandProgress({ stream, env: { CI: "true" }, forced: true, machineFormat: true }));
    expect(stream.text).toBe(
      "progress: Reading workspace law-soc: resources\n" +
        "progress: Reading workspace law-soc: resources 120: throttled by Azure (429), retrying in 20 s (2/5)\n",
    );
  });
});

describe("validate reports its phases and counts", () => {
  it("reading the content, then each query analyzed, of a known total", async () => {
    const events: string[] = [];
    const progress: ProgressReporter = {
      phase: (name, total) => events.push(`phase ${name}${total !== undefined ? ` /${total}` : ""}`),
      advance: (done) => events.push(`advance ${done}`),
      wait: (message) => events.push(`wait ${message}`),
    };
    await runValidate({ content: copySeedContent(), format: "text", cache: false, progress }, { write: () => true });
    expect(events).toEqual([
      "phase Reading content files",
      "phase Analyzing queries (0 from cache) /6",
      "advance 1",
      "advance 2",
      "advance 3",
      "advance 4",
      "advance 5",
      "advance 6",
    ]);
  });
});
