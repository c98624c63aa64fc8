/** `sentinel-iac`: validate, plan and inspect Sentinel content without Azure. */
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config/settings";
import { runPlan } from "./commands/plan";

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
    .action((options: { content?: string; stack?: string; format: "text" | "json" }) => {
      exitCode = runPlan(options, process.stdout);
    });

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
