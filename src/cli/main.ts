/** `sentinel-iac`: validate, plan and inspect Sentinel content without Azure. */
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config/settings";
import { runPlan } from "./commands/plan";
import { runValidate, watchValidate, type ValidateFormat } from "./commands/validate";

/** Exit codes: 0 success, 1 errors found (or the command failed). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("sentinel-iac")
    .description("Microsoft Sentinel detections as code: validate and plan analytics rules, hunting queries, functions and watchlists.")
    .exitOverride()
    .showHelpAfterError();

  let exitCode = 0;
  program
    .command("plan")
    .description("Validate all content and print what would be deployed, in dependency order.")
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/)")
    .option("--stack <name>", "apply a stack's settings from Pulumi.<name>.yaml (selection, enable overrides, NRT mode)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--strict", "unknown tables and functions are errors, and warnings fail the plan")
    .option("--no-kql", "skip the KQL semantic checks (structure and limits only)")
    .action(async (options: { content?: string; stack?: string; format: "text" | "json"; strict?: boolean; kql: boolean }) => {
      exitCode = await runPlan(
        { content: options.content, stack: options.stack, format: options.format, strict: options.strict, queries: options.kql },
        process.stdout,
      );
    });

  program
    .command("validate")
    .description("Check all content, KQL included (schemas, functions, watchlists, result columns, lookbacks).")
    .option("--content <dir>", "content directory (holds rules/, functions/, watchlists/, schemas/)")
    .option("--strict", "unknown tables and functions are errors, and warnings fail the run")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "sarif", "github"]).default("text"))
    .option("--watch", "stay running and re-validate when a content file changes")
    .option("--no-cache", "ignore and do not update the analysis cache")
    .option("--workers <n>", "KQL analysis worker threads (default: by batch size and CPUs)", (v) => Number.parseInt(v, 10))
    .action(
      async (options: {
        content?: string;
        strict?: boolean;
        format: ValidateFormat;
        watch?: boolean;
        cache: boolean;
        workers?: number;
      }) => {
        const opts = {
          content: options.content,
          strict: options.strict,
          format: options.format,
          cache: options.cache,
          workers: options.workers,
        };
        exitCode = options.watch ? await watchValidate(opts, process.stdout) : await runValidate(opts, process.stdout);
      },
    );

  try {
    await program.parseAsync(argv as string[]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof ConfigError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  return exitCode;
}
