/** `sentinel-iac`: validate, plan, diff against a live workspace, and adopt what is already there. */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { AzureReadError } from "../azure/readError";
import { EndpointError } from "../azure/endpointError";
import { ConfigError } from "../config/settings";
import { ContentFolderError } from "../loader/contentFolder";
import { GitBaseError } from "../app/gitBase";
import type { DiffFormat } from "./commands/diff";
import type { ValidateFormat } from "./commands/validate";
import { CLOUDS } from "../app/clouds";
import type { TargetFlags } from "../app/target";
import type { TestFormat } from "./commands/test";
import { OutputPathError } from "./output";
import { commandProgress } from "./progress";
import type { ProgressReporter } from "../util/progress";
import { VERSION } from "./version";
import { savePlacements } from "../content/placementCache";

// Each command's module is loaded when the command runs: `validate` need not load the Azure
// clients the live commands use (docs/performance.md).
const command = {
  plan: () => require("./commands/plan") as typeof import("./commands/plan"),
  validate: () => require("./commands/validate") as typeof import("./commands/validate"),
  diff: () => require("./commands/diff") as typeof import("./commands/diff"),
  export: () => require("./commands/export") as typeof import("./commands/export"),
  summarize: () => require("./commands/summarize") as typeof import("./commands/summarize"),
  coverage: () => require("./commands/coverage") as typeof import("./commands/coverage"),
  stacks: () => require("./commands/stacks") as typeof import("./commands/stacks"),
  retired: () => require("./commands/retired") as typeof import("./commands/retired"),
  schemasPull: () => require("./commands/schemasPull") as typeof import("./commands/schemasPull"),
  test: () => require("./commands/test") as typeof import("./commands/test"),
  query: () => require("./commands/query") as typeof import("./commands/query"),
};

/** The options every command that reads a live workspace takes. */
function withTarget(command: Command, contentHelp = "content directory (holds rules/, functions/, watchlists/)"): Command {
  return command
    .option("--content <dir>", contentHelp)
    .option("--stack <name>", "read the workspace and stack settings from Pulumi.<name>.yaml")
    .option("--subscription <id>", "subscription id (default: the stack's azure-native:subscriptionId, or AZURE_SUBSCRIPTION_ID)")
    .option("--resource-group <name>", "resource group of the workspace (default: the stack's sentinel-iac:resourceGroupName)")
    .option("--workspace <name>", "Log Analytics workspace name (default: the stack's sentinel-iac:workspaceName)")
    .addOption(
      new Option("--cloud <name>", "Azure cloud (default: the stack's azure-native:environment, else AzureCloud)").choices([...CLOUDS]),
    )
    .option("--arm-endpoint <url>", "Resource Manager endpoint, for other clouds or the local stand-in")
    .option("--authority-host <url>", "Entra ID authority host, for other clouds or the local stand-in");
}

/** `--workers 4`: a whole number of at least 1, or commander's one-line usage error. */
function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError("expected a whole number of at least 1.");
  return n;
}

const PROGRESS_HELP =
  "show progress on stderr even when it is not a terminal or the format is for tools (default: only on a terminal, outside CI)";

/** Runs a command with progress on stderr (see cli/progress.ts), cleared when it ends. */
async function withProgress(
  forced: boolean | undefined,
  format: string,
  run: (progress: ProgressReporter) => Promise<number>,
): Promise<number> {
  const progress = commandProgress({ forced, machineFormat: ["json", "sarif", "github", "junit"].includes(format) });
  try {
    return await run(progress);
  } finally {
    progress.stop();
  }
}

const ALLOW_EMPTY_HELP = "pass when the content folder holds no rules, functions or watchlists (by default that is an error)";

function targetFlags(options: TargetFlags): TargetFlags {
  const { content, stack, subscription, resourceGroup, workspace, cloud, armEndpoint, authorityHost } = options;
  return { content, stack, subscription, resourceGroup, workspace, cloud, armEndpoint, authorityHost };
}

/** Commander's way to let an option repeat: each use adds its value. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Exit codes: 0 success, 1 errors found (or the command failed); `diff`: 2 drift. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("sentinel-iac")
    .description(
      "Microsoft Sentinel detections as code: validate, plan and diff analytics rules, hunting queries, functions and watchlists.",
    )
    .version(VERSION, "-V, --version", "print the version of sentinel-iac")
    .exitOverride()
    .showHelpAfterError();

  let exitCode = 0;
  withTarget(
    program
      .command("plan")
      .description(
        "Validate all content and print what would be deployed, in dependency order. With a workspace (flags, or a stack that names one) it also shows how the live workspace differs.",
      ),
  )
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--strict", "unknown tables and functions are errors, and warnings fail the plan")
    .option("--no-kql", "skip the KQL semantic checks (structure and limits only)")
    .option("--offline", "never read the live workspace, even when the stack names one")
    .option("--base <ref>", "compare with the content at this git ref: a detection removed without a retired.yaml entry is an error")
    .option("--allow-empty", ALLOW_EMPTY_HELP)
    .option("--progress", PROGRESS_HELP)
    .action(
      async (
        options: TargetFlags & {
          format: "text" | "json";
          strict?: boolean;
          kql: boolean;
          offline?: boolean;
          base?: string;
          allowEmpty?: boolean;
          progress?: boolean;
        },
      ) => {
        exitCode = await withProgress(options.progress, options.format, (progress) =>
          command.plan().runPlan(
            {
              ...targetFlags(options),
              format: options.format,
              strict: options.strict,
              queries: options.kql,
              offline: options.offline,
              base: options.base,
              allowEmpty: options.allowEmpty,
              progress,
              connection: { progress },
            },
            process.stdout,
          ),
        );
      },
    );

  program
    .command("validate")
    .description("Check all content, KQL included (schemas, functions, watchlists, result columns, lookbacks).")
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/, schemas/)")
    .option("--stack <name>", "also run the checks that depend on the stack's settings (selection, NRT handling), as plan --stack does")
    .option("--strict", "unknown tables and functions are errors, and warnings fail the run")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "github"]).default("text"))
    .option("--watch", "stay running and re-validate when a content file changes")
    .option("--no-cache", "ignore and do not update the analysis cache")
    .option("--workers <n>", "KQL analysis worker threads (default: by batch size and CPUs)", positiveInteger)
    .option("--allow-empty", ALLOW_EMPTY_HELP)
    .option("--progress", PROGRESS_HELP)
    .action(
      async (options: {
        content?: string;
        stack?: string;
        strict?: boolean;
        format: ValidateFormat;
        watch?: boolean;
        cache: boolean;
        workers?: number;
        allowEmpty?: boolean;
        progress?: boolean;
      }) => {
        const opts = {
          content: options.content,
          stack: options.stack,
          strict: options.strict,
          format: options.format,
          cache: options.cache,
          workers: options.workers,
          allowEmpty: options.allowEmpty,
        };
        // A watch's later runs are quick (the analyzer stays warm): only one-off runs report progress.
        exitCode = options.watch
          ? await command.validate().watchValidate(opts, process.stdout)
          : await withProgress(options.progress, options.format, (progress) =>
              command.validate().runValidate({ ...opts, progress }, process.stdout),
            );
      },
    );

  program
    .command("test")
    .description("Run the rule tests (<name>.tests.yaml beside rules, hunting queries and functions) on the local KQL engine.")
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "junit"]).default("text"))
    .option("--filter <text>", "only tests whose name, file or rule name contains this text")
    .option("--output <file>", "also write the report to this file, in the same format")
    .option("--junit <file>", "also write JUnit XML to this file, whatever the format (for the CI's test report)")
    .option("--allow-empty", ALLOW_EMPTY_HELP)
    .option("--progress", PROGRESS_HELP)
    .action(
      async (options: {
        content?: string;
        format: TestFormat;
        filter?: string;
        output?: string;
        junit?: string;
        allowEmpty?: boolean;
        progress?: boolean;
      }) => {
        const { progress: forced, ...rest } = options;
        exitCode = await withProgress(forced, options.format, (progress) =>
          command.test().runTests({ ...rest, progress }, process.stdout, process.stderr),
        );
      },
    );

  program
    .command("query")
    .description("Run a KQL query on the local engine, over rows from files, with the content's functions and watchlists.")
    .argument("<query>", "the query text, or @file to read it from a file")
    .option("--content <dir>", "content directory whose functions and watchlists the query sees")
    .option("--now <time>", "what now() and ago() see (ISO-8601, default: the time of the run)")
    .option("--table <name=file>", "rows of a table from a .json, .jsonl or .csv file (repeatable)", collect, [])
    .option("--watchlist <alias=file>", "a CSV that replaces a watchlist's rows (repeatable)", collect, [])
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"]).default("table"))
    .action(
      (query: string, options: { content?: string; now?: string; table?: string[]; watchlist?: string[]; format: "table" | "json" }) => {
        exitCode = command.query().runQueryCommand(query, options, process.stdout, process.stderr);
      },
    );

  withTarget(
    program
      .command("diff")
      .description("Compare the live workspace with Git, field by field (read-only). Exit 0: no drift, 2: drift, 1: error."),
  )
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "markdown"]).default("text"))
    .option("--output <file>", "also write the report to this file (e.g. the Markdown for a pull-request comment)")
    .option("--progress", PROGRESS_HELP)
    .action(async (options: TargetFlags & { format: DiffFormat; output?: string; progress?: boolean }) => {
      exitCode = await withProgress(options.progress, options.format, (progress) =>
        command
          .diff()
          .runDiff(
            { ...targetFlags(options), format: options.format, output: options.output, connection: { progress } },
            process.stdout,
            process.stderr,
          ),
      );
    });

  withTarget(
    program
      .command("export")
      .description(
        "Adopt what the workspace already has: write YAML (and CSV) for its unmanaged rules, hunting queries, functions and watchlists, and a `pulumi import` file (read-only against Azure).",
      ),
    "content directory the export is compared with",
  )
    .option("--out <dir>", "where to write the files (default: the content directory)")
    .option("--import-file <file>", "where to write the pulumi import file", "pulumi-import.json")
    .option("--dry-run", "show what would be written, write nothing")
    .option("--force", "overwrite files that already exist, the import file included (without it, export refuses)")
    .option(
      "--adopt-nrt-rules",
      "also list in the import file the NRT rules Git defines and the workspace has, to move a stack off nrtRules: genericResource (docs/azure-behaviours.md)",
    )
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--progress", PROGRESS_HELP)
    .action(
      async (
        options: TargetFlags & {
          out?: string;
          importFile: string;
          dryRun?: boolean;
          force?: boolean;
          adoptNrtRules?: boolean;
          format: "text" | "json";
          progress?: boolean;
        },
      ) => {
        exitCode = await withProgress(options.progress, options.format, (progress) =>
          command.export().runExport(
            {
              ...targetFlags(options),
              out: options.out,
              importFile: options.importFile,
              dryRun: options.dryRun,
              force: options.force,
              adoptNrtRules: options.adoptNrtRules,
              format: options.format,
              connection: { progress },
            },
            process.stdout,
            process.stderr,
          ),
        );
      },
    );

  program
    .command("summarize")
    .description(
      "What a change does to the detections, for reviewers: rules added, removed, disabled, weakened; coverage gained and lost; watchlist rows (git only, no Azure). Exit 1 on content errors or an unacknowledged removal.",
    )
    .requiredOption("--base <ref>", "the ref the change is compared with (its merge base with HEAD), e.g. origin/main")
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/)")
    .option("--stack <name>", "apply the stack's selection and enable overrides (from Pulumi.<name>.yaml, at both ends)")
    .addOption(new Option("--format <format>", "output format").choices(["markdown", "json"]).default("markdown"))
    .option("--output <file>", "also write the summary to this file (e.g. for a pull-request comment)")
    .option("--allow-empty", ALLOW_EMPTY_HELP)
    .action(
      async (options: {
        base: string;
        content?: string;
        stack?: string;
        format: "markdown" | "json";
        output?: string;
        allowEmpty?: boolean;
      }) => {
        exitCode = await command.summarize().runSummarize(options, process.stdout, process.stderr);
      },
    );

  program
    .command("coverage")
    .description(
      "The MITRE ATT&CK tactics and techniques the enabled analytics rules detect: a Markdown table and an ATT&CK Navigator layer.",
    )
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/)")
    .option("--stack <name>", "apply the stack's selection and enable overrides")
    .addOption(new Option("--format <format>", "output format").choices(["markdown", "json"]).default("markdown"))
    .option("--layer <file>", "write an ATT&CK Navigator layer (JSON, layer format 4.5) to this file")
    .option("--output <file>", "also write the report to this file")
    .option("--allow-empty", ALLOW_EMPTY_HELP)
    .action(
      (options: {
        content?: string;
        stack?: string;
        format: "markdown" | "json";
        layer?: string;
        output?: string;
        allowEmpty?: boolean;
      }) => {
        exitCode = command.coverage().runCoverage(options, process.stdout, process.stderr);
      },
    );

  program
    .command("stacks")
    .description("The project's stacks (one Pulumi.<stack>.yaml per workspace) and, with --base, which ones a change affects.")
    .option("--base <ref>", "mark the stacks that the changes since this ref (its merge base with HEAD) affect")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((options: { base?: string; format: "text" | "json" }) => {
      exitCode = command.stacks().runStacks(options, process.stdout, process.stderr);
    });

  program
    .command("retired")
    .description("The detections retired.yaml acknowledges as removed; with --urns, the Pulumi URNs to unprotect before `pulumi up`.")
    .option("--content <dir>", "content directory (holds retired.yaml)")
    .option("--stack <name>", "the stack (needed for --urns)")
    .option("--urns", "print the URNs of the retired rules in the stack, one per line")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .action((options: { content?: string; stack?: string; urns?: boolean; format: "text" | "json" }) => {
      exitCode = command.retired().runRetired(options, process.stdout);
    });

  const schemas = program.command("schemas").description("Table schemas used by KQL validation.");
  withTarget(
    schemas
      .command("pull")
      .description("Write the workspace's real table schemas (custom _CL tables included) into schemas/ (read-only against Azure)."),
    "content directory whose schemas/ folder receives the files",
  )
    .option("--table <glob...>", "only these tables (globs, e.g. '*_CL')")
    .option("--progress", PROGRESS_HELP)
    .action(async (options: TargetFlags & { table?: string[]; progress?: boolean }) => {
      exitCode = await withProgress(options.progress, "text", (progress) =>
        command
          .schemasPull()
          .runSchemasPull({ ...targetFlags(options), tables: options.table, connection: { progress } }, process.stdout, process.stderr),
      );
    });

  try {
    await program.parseAsync(argv as string[]);
    // Where this run's findings sit in their files, for the next run (content/placementCache.ts).
    savePlacements();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (
      error instanceof ConfigError ||
      error instanceof ContentFolderError ||
      error instanceof OutputPathError ||
      error instanceof AzureReadError ||
      error instanceof EndpointError ||
      error instanceof GitBaseError
    ) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    // Files the user named (--output, --layer, --out) that cannot be written: say which and why.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && ["ENOENT", "ENOTDIR", "EISDIR", "EACCES", "EPERM", "EROFS", "ENOSPC"].includes(code)) {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      return 1;
    }
    throw error;
  }
  return exitCode;
}
