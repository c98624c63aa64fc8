/**
 * `validate --watch` re-validates when a content file changes, reusing what did not change, and
 * keeps watching through editors' atomic saves (a temporary file renamed over the original),
 * new and deleted files.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContentFolderError } from "../src/loader/contentFolder";
import { watchValidate } from "../src/cli/commands/validate";
import { copySeedContent, ruleYaml } from "./helpers/content";

const RULE = "rules/analytics/ROPC-AuthenticationDetected.yaml";
const GOOD = '| where AuthenticationProtocol =~ "ropc"';
const BAD = '| where AuthProtocol =~ "ropc"';

/** A running watch over a copy of the project's content, with its output so far. */
function startWatch() {
  const dir = copySeedContent();
  const controller = new AbortController();
  const state = { output: "" };
  const done = watchValidate(
    { content: dir, format: "text", cache: false },
    { write: (t: string) => (state.output += t) },
    controller.signal,
  );
  /** Waits until the output after `from` matches, and returns that part. */
  const waitFor = async (pattern: RegExp, from = 0): Promise<string> => {
    for (let i = 0; i < 300 && !pattern.test(state.output.slice(from)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(state.output.slice(from)).toMatch(pattern);
    return state.output.slice(from);
  };
  const mark = () => state.output.length;
  return { dir, state, done, waitFor, mark, stop: () => controller.abort() };
}

let running: ReturnType<typeof startWatch> | undefined;
afterEach(async () => {
  running?.stop();
  await running?.done;
  running = undefined;
});

/** One run's report: from its "changed" header to its "Checked" line. */
const RUN = /--- [^\n]* changed ---\n[\s\S]*?Checked \d+ files[^\n]*\n(Not checked[^\n]*\n)?(Failed[^\n]*\n)?/;

describe("validate --watch", () => {
  it("re-validates after a file changes and reports the new problem", async () => {
    running = startWatch();
    const { dir, waitFor, mark } = running;
    await waitFor(/Watching /);
    const before = mark();
    const file = join(dir, RULE);
    writeFileSync(file, readFileSync(file, "utf8").replace(GOOD, BAD));
    const rerun = await waitFor(RUN, before);
    expect(rerun).toContain(`${RULE} changed`);
    expect(rerun).toContain("[kql/unknown-column] query: The name 'AuthProtocol'");
    expect(rerun).toContain("1 error,");
  });

  it("keeps seeing a file that `sed -i` replaces again and again, and never shows its temporary names", async () => {
    running = startWatch();
    const { dir, waitFor, mark, state } = running;
    await waitFor(/Watching /);
    // sed -i writes a temporary file (sedXXXXXX) beside the original and renames it over it: a new inode each time.
    const sed = (from: string, to: string) => {
      const r = spawnSync("sed", ["-i", `s/${from}/${to}/`, join(dir, RULE)]);
      expect(r.status).toBe(0);
    };
    let at = mark();
    sed("AuthenticationProtocol =~", "AuthProtocol =~");
    expect(await waitFor(RUN, at)).toContain("Failed: fix the errors above.");
    at = mark();
    sed("AuthProtocol =~", "AuthenticationProtocol =~");
    const fixed = await waitFor(RUN, at);
    expect(fixed).toContain(": 0 errors,");
    expect(fixed).not.toContain("Failed");
    at = mark();
    sed("AuthenticationProtocol =~", "AuthProtocol =~");
    expect(await waitFor(RUN, at)).toContain("[kql/unknown-column]");
    expect(state.output).not.toMatch(/sed[A-Za-z0-9]{6}/);
  });

  it("follows editors' safe writes (JetBrains, vim), new files and deleted files, naming only content files", async () => {
    running = startWatch();
    const { dir, waitFor, mark, state } = running;
    await waitFor(/Watching /);
    const file = join(dir, RULE);

    // JetBrains' safe write: x___jb_tmp___ is written, the original moved to x___jb_old___, the temporary renamed in place.
    let at = mark();
    writeFileSync(`${file}___jb_tmp___`, readFileSync(file, "utf8").replace(GOOD, BAD));
    renameSync(file, `${file}___jb_old___`);
    renameSync(`${file}___jb_tmp___`, file);
    unlinkSync(`${file}___jb_old___`);
    expect(await waitFor(RUN, at)).toContain("[kql/unknown-column]");

    // vim with writebackup: a probe file 4913, a backup x~, then the new text in place of the old file.
    at = mark();
    writeFileSync(join(dir, "rules/analytics/4913"), "");
    unlinkSync(join(dir, "rules/analytics/4913"));
    renameSync(file, `${file}~`);
    writeFileSync(file, readFileSync(`${file}~`, "utf8").replace(BAD, GOOD));
    unlinkSync(`${file}~`);
    const fixed = await waitFor(RUN, at);
    expect(fixed).toContain(": 0 errors,");

    // A new file, then its deletion.
    at = mark();
    writeFileSync(join(dir, "rules/analytics/new.yaml"), ruleYaml({ severity: "Loud" }, "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d"));
    const added = await waitFor(RUN, at);
    expect(added).toContain("rules/analytics/new.yaml changed");
    expect(added).toContain("rules/analytics/new.yaml\n");
    at = mark();
    rmSync(join(dir, "rules/analytics/new.yaml"));
    const removed = await waitFor(RUN, at);
    expect(removed).toContain("rules/analytics/new.yaml changed");
    expect(removed).not.toContain("rules/analytics/new.yaml\n");

    expect(state.output).not.toMatch(/___jb_|4913|\.yaml~/);
  });

  it("exits with an error when its folder does not exist, instead of waiting forever", async () => {
    const missing = join(copySeedContent(), "nope");
    let output = "";
    await expect(
      watchValidate({ content: missing, format: "text", cache: false }, { write: (t: string) => (output += t) }),
    ).rejects.toThrow(ContentFolderError);
    expect(output).toBe("");
  });

  it("stops with exit code 1 when the folder it watches is removed", async () => {
    running = startWatch();
    const { dir, waitFor, mark, done } = running;
    await waitFor(/Watching /);
    const at = mark();
    rmSync(dir, { recursive: true, force: true });
    await waitFor(/was removed; stopped watching/, at);
    expect(await done).toBe(1);
  });
});
