/**
 * Issue 11, items 7-9: a hostile or broken server (the stand-in's hostile faults, over real
 * HTTPS, with the real Azure SDK clients and credential) cannot make the reader loop, send the
 * token to another origin, report a partial or injected list, stall for as long as it asks, or
 * get a token printed back in an error or a log.
 */
import { ClientSecretCredential } from "@azure/identity";
import { createClientLogger, setLogLevel } from "@azure/logger";
import { rootCertificates } from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readLiveWorkspace, type LiveReadOptions } from "../../src/azure/liveWorkspace";
import { AzureReadError } from "../../src/azure/readError";
import type { AzureTarget } from "../../src/azure/target";
import { runDiff } from "../../src/cli/commands/diff";
import { compareWorkspace } from "../../src/diff/compare";
import { renderDriftText } from "../../src/diff/render";
import { startStandIn, type StandIn } from "../../stand-in/src/standIn";
import type { StandInState } from "../../stand-in/src/state";
import { PROJECT_DIR, SEED_PROJECT_DIR } from "../helpers/content";
import { liveFromState, TEST_WORKSPACE } from "../helpers/live";

const RULES = 12;

function workspace(): StandInState {
  return {
    ...TEST_WORKSPACE,
    alertRules: Array.from({ length: RULES }, (_, i) => ({
      name: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      kind: "Scheduled",
      properties: { displayName: `Rule ${i}`, enabled: true, query: "SigninLogs", queryFrequency: "PT1H", queryPeriod: "PT1H" },
    })),
    watchlists: [],
    savedSearches: [],
    tables: [],
  };
}

describe("a hostile server", () => {
  let standIn: StandIn;
  let target: AzureTarget;
  let fast: LiveReadOptions;

  beforeAll(async () => {
    standIn = await startStandIn({ state: workspace(), pageSize: { alertRules: 5 } });
    target = { ...TEST_WORKSPACE, armEndpoint: standIn.armEndpoint, authorityHost: standIn.authorityHost };
    const credential = new ClientSecretCredential(
      standIn.credentials.tenantId,
      standIn.credentials.clientId,
      standIn.credentials.clientSecret,
      {
        authorityHost: standIn.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: [...rootCertificates, standIn.caPem] },
      },
    );
    fast = { credential, caPem: standIn.caPem, timeoutMs: 2000, maxRetries: 3, retryDelayMs: 10, maxRetryDelayMs: 50 };
  });
  afterEach(() => {
    standIn.setFaults([]);
    standIn.clearRequests();
  });
  afterAll(async () => {
    // Whatever the server sent, the decoy origin never received a request, with a token or without.
    expect(standIn.decoyRequests).toEqual([]);
    await standIn.close();
  });

  async function refused(options: LiveReadOptions = fast): Promise<AzureReadError> {
    const error = await readLiveWorkspace(target, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AzureReadError);
    return error as AzureReadError;
  }
  const ruleRequests = () => standIn.requests.filter((r) => r.route === "alertRules").length;

  describe("paging (item 7)", () => {
    it("stops on a nextLink that names a page already read, after a handful of requests", async () => {
      standIn.setFaults([{ kind: "selfLink", route: "alertRules" }]);
      const error = await refused();
      expect(error.details).toMatchObject({ kind: "refused", code: "repeated-link" });
      expect(error.message).toMatch(
        /^Listing the alert rules of workspace 'law-soc' .* failed: the service sent a next-page link that was already followed/,
      );
      expect(ruleRequests()).toBeLessThanOrEqual(3);
    });

    it("never follows a nextLink to another origin, so the token stays home and nothing is injected", async () => {
      standIn.setFaults([{ kind: "foreignLink", route: "alertRules" }]);
      const error = await refused();
      expect(error.details).toMatchObject({ kind: "refused", code: "foreign-origin" });
      expect(error.message).toContain(`the service sent a link to ${standIn.decoyUrl}`);
      expect(error.message).toContain("the token was not sent there");
    });

    it("never follows a redirect to another origin", async () => {
      standIn.setFaults([{ kind: "redirect", route: "alertRules", times: 1 }]);
      const error = await refused();
      expect(error.details).toMatchObject({ kind: "refused", code: "foreign-origin", status: 307 });
      expect(error.message).toContain(`the service redirected (HTTP 307) to ${standIn.decoyUrl}`);
    });

    it("stops on a page that repeats resources already read", async () => {
      standIn.setFaults([{ kind: "repeatPage", route: "alertRules" }]);
      const error = await refused();
      expect(error.details).toMatchObject({ kind: "refused", code: "repeated-items" });
      expect(error.message).toContain("page 2 of the list repeats a resource an earlier page held");
    });

    it("stops at the page cap on a list that never ends", async () => {
      standIn.setFaults([{ kind: "endlessPages", route: "alertRules" }]);
      const error = await refused({ ...fast, maxPages: 25 });
      expect(error.details).toMatchObject({ kind: "refused", code: "page-cap" });
      expect(error.message).toContain("the list did not end within 25 pages");
      expect(ruleRequests()).toBe(25);
    });

    it("diff reports it as an error and no partial report", async () => {
      standIn.setFaults([{ kind: "foreignLink", route: "alertRules" }]);
      const out = { text: "", write: (c: string) => ((out.text += c), true) };
      const err = { text: "", write: (c: string) => ((err.text += c), true) };
      const code = await runDiff(
        {
          subscription: TEST_WORKSPACE.subscriptionId,
          resourceGroup: TEST_WORKSPACE.resourceGroupName,
          workspace: TEST_WORKSPACE.workspaceName,
          armEndpoint: standIn.armEndpoint,
          authorityHost: standIn.authorityHost,
          content: SEED_PROJECT_DIR,
          format: "text",
          connection: fast,
        },
        out,
        err,
      );
      expect(code).toBe(1);
      expect(out.text).toBe("");
      expect(err.text).toContain("not to the Resource Manager endpoint");
    });
  });

  describe("Retry-After (item 8)", () => {
    it("refuses a wait longer than the cap at once, instead of stalling", async () => {
      standIn.setFaults([{ kind: "throttle", route: "alertRules", retryAfterSeconds: 3600 }]);
      const started = Date.now();
      const error = await refused();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.details).toMatchObject({ kind: "throttled", code: "retry-after-cap" });
      expect(error.message).toContain(
        "Azure asked to wait 3,600 s before retrying (Retry-After), longer than the 60 s sentinel-iac waits at once",
      );
    });

    it("refuses once the waits of one command add up past the total cap", async () => {
      standIn.setFaults([{ kind: "throttle", route: "alertRules", retryAfterSeconds: 1 }]);
      const started = Date.now();
      const error = await refused({ ...fast, maxTotalRetryWaitMs: 1500 });
      // One wait of 1 s was honoured; the second would have passed 1.5 s.
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(error.details).toMatchObject({ kind: "throttled", code: "retry-wait-cap" });
      expect(error.message).toContain("would exceed the 2 s sentinel-iac waits in total for one command");
    });

    it("still waits out a short Retry-After and succeeds", async () => {
      standIn.setFaults([{ kind: "throttle", route: "alertRules", retryAfterSeconds: 1, times: 1 }]);
      expect((await readLiveWorkspace(target, fast)).alertRules).toHaveLength(RULES);
    });
  });

  describe("redaction by value (item 9)", () => {
    it("an opaque token echoed in an error body is redacted from the error", async () => {
      standIn.setFaults([{ kind: "echoToken", route: "alertRules" }]);
      const error = await refused();
      const tokens = standIn.issuedTokens();
      expect(tokens.length).toBeGreaterThan(0);
      // The stand-in's tokens are opaque: no pattern (Bearer, eyJ...) would catch them.
      for (const token of tokens) expect(token).not.toMatch(/^eyJ/);
      expect(error.message).toContain("for the caller holding [REDACTED]");
      for (const token of tokens) {
        expect(error.message).not.toContain(token);
        expect(JSON.stringify(error)).not.toContain(token);
      }
    });

    it("the Azure SDK's log output is redacted by value too", async () => {
      await readLiveWorkspace(target, fast);
      const token = standIn.issuedTokens().at(-1)!;
      const written: string[] = [];
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      try {
        setLogLevel("info");
        createClientLogger("sentinel-iac-test").info(`a log line that quotes ${token}`);
      } finally {
        spy.mockRestore();
        setLogLevel("error");
      }
      expect(written.join("")).toContain("a log line that quotes [REDACTED]");
      expect(written.join("")).not.toContain(token);
    });
  });
});

describe("terminal control characters from a workspace", () => {
  it("are shown, not obeyed, in the text report", () => {
    const live = liveFromState({
      ...TEST_WORKSPACE,
      alertRules: [
        {
          name: "00000000-0000-4000-8000-0000000000aa",
          kind: "Scheduled",
          // ESC [2J clears the screen; ESC ]0; retitles the window; 0x9B is a one-byte CSI.
          properties: { displayName: "Benign\u001b[2J\u001b]0;owned\u0007\u009b31m", enabled: true, query: "print 1" },
        },
      ],
      watchlists: [],
      savedSearches: [],
      tables: [],
    });
    const text = renderDriftText(compareWorkspace([], live), TEST_WORKSPACE, ".");
    expect(text).not.toMatch(/[\u001b\u0007\u009b]/);
    expect(text).toContain("Benign\\u{1B}[2J\\u{1B}]0;owned\\u{7}\\u{9B}31m");
  });
});
