/**
 * Runs the local Azure stand-in (Entra ID token endpoint + read-only Sentinel ARM) until Ctrl+C,
 * for trying the CLI and the SDK by hand without an Azure account.
 *
 *   npm run stand-in -- --state stand-in/example-state.json [--port 8443] [--page-size 50]
 *                       [--fault throttle:alertRules:2:retryAfterSeconds=5]... [--ca-file PATH] [--quiet]
 *
 * It prints the environment to export in the shell that runs the client. While it runs, type
 * `help` for commands that change faults and page sizes or show the recorded requests.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { parseFaultSpec, type StandInFault } from "./src/faults";
import { startStandIn, type StandInRequest } from "./src/standIn";
import { loadStandInState, StandInStateError } from "./src/state";

const USAGE = `usage: npm run stand-in -- --state FILE [--port N] [--page-size N] [--fault SPEC]... [--ca-file PATH] [--quiet]
  --state FILE      workspace state JSON (see stand-in/example-state.json)
  --port N          port on 127.0.0.1 (default: a free one)
  --page-size N     items per page for alert rules, watchlists, items and tables (0 = no paging)
  --fault SPEC      kind[:route[:times]][:retryAfterSeconds=N][:delayMs=N]; kinds: throttle, serverError,
                    unavailable, slow, malformed, truncated, notFound, and hostile ones: selfLink,
                    repeatPage, endlessPages, foreignLink, redirect, echoToken; route: alertRules, watchlistItems, ... or *
  --ca-file PATH    where to write the CA certificate (default: ${join(tmpdir(), "sentinel-iac-stand-in-ca.pem")})
  --quiet           do not print each request`;

const COMMANDS = `commands:
  fault SPEC [SPEC...]   replace the pending faults (same SPEC as --fault)
  faults clear           remove all faults
  page-size N            items per page from now on
  requests               the requests recorded so far
  writes                 the writes attempted (saved searches, watchlists and items are served; others refused with 405)
  clear                  forget the recorded requests
  help                   this list`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function describe(r: Readonly<StandInRequest>): string {
  const query = new URLSearchParams(r.query).toString();
  const notes = [r.fault ? `fault=${r.fault}` : "", r.error ?? "", r.surface === "arm" && !r.authenticated ? "no valid token" : ""]
    .filter(Boolean)
    .join(", ");
  return `${String(r.seq).padStart(4)} ${r.method} ${r.path}${query ? `?${query}` : ""} -> ${r.status}${notes ? ` (${notes})` : ""}`;
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        state: { type: "string" },
        port: { type: "string" },
        "page-size": { type: "string" },
        fault: { type: "string", multiple: true },
        "ca-file": { type: "string" },
        quiet: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (!args.state) fail(`--state is required\n${USAGE}`);
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0-65535), not '${args.port}'`);
  const pageSize = args["page-size"] === undefined ? undefined : Number(args["page-size"]);
  let faults: StandInFault[] = [];
  try {
    faults = (args.fault ?? []).map(parseFaultSpec);
  } catch (error) {
    fail((error as Error).message);
  }

  let state;
  try {
    state = loadStandInState(resolve(args.state));
  } catch (error) {
    fail(error instanceof StandInStateError ? error.message : String(error));
  }

  const standIn = await startStandIn({
    state,
    port,
    ...(pageSize !== undefined ? { pageSize } : {}),
    faults,
    ...(args.quiet ? {} : { onRequest: (r) => console.log(describe(r)) }),
  }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === "EADDRINUSE" ? `port ${port} is in use; pick another with --port, or leave it out for a free one` : String(error)),
  );

  const caFile = resolve(args["ca-file"] ?? join(tmpdir(), "sentinel-iac-stand-in-ca.pem"));
  mkdirSync(dirname(caFile), { recursive: true });
  writeFileSync(caFile, standIn.caPem);
  const { tenantId, clientId, clientSecret } = standIn.credentials;
  console.log(`Azure stand-in for workspace '${state.workspaceName}' listening on ${standIn.url}

# In the shell that runs the client (NODE_EXTRA_CA_CERTS is read when Node starts):
export NODE_EXTRA_CA_CERTS='${caFile}'
export AZURE_TENANT_ID='${tenantId}'
export AZURE_CLIENT_ID='${clientId}'
export AZURE_CLIENT_SECRET='${clientSecret}'
export AZURE_AUTHORITY_HOST='${standIn.authorityHost}'

# sentinel-iac options:
--arm-endpoint ${standIn.armEndpoint} --authority-host ${standIn.authorityHost}
# target: subscription ${state.subscriptionId}, resource group ${state.resourceGroupName}, workspace ${state.workspaceName}

The credentials are throwaway values valid only for this stand-in. Ctrl+C stops it; type 'help' for commands.`);

  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);

  const input = createInterface({ input: process.stdin });
  input.on("line", (line) => {
    const [command = "", ...rest] = line.trim().split(/\s+/);
    try {
      if (command === "") return;
      else if (command === "help") console.log(COMMANDS);
      else if (command === "fault") standIn.setFaults(rest.map(parseFaultSpec));
      else if (command === "faults" && rest[0] === "clear") standIn.setFaults([]);
      else if (command === "page-size") standIn.setPageSize(Number(rest[0]));
      else if (command === "requests") console.log(standIn.requests.map(describe).join("\n") || "(none)");
      else if (command === "writes") console.log(standIn.writes().map(describe).join("\n") || "(none)");
      else if (command === "clear") standIn.clearRequests();
      else console.log(`unknown command '${command}'\n${COMMANDS}`);
    } catch (error) {
      console.log((error as Error).message);
    }
  });
}

void main();
