/**
 * The two sides of a change: the content at the merge base of a ref and HEAD, and the working
 * tree, each with its own stack settings; and the safe-delete check over the whole content and
 * every stack (summary/removals.ts), whichever stack a command was asked about.
 */
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { ConfigError, type ProjectSettings } from "../config/settings";
import { listStacks, readStackFile } from "../config/stackFile";
import { buildDesiredState } from "../loader/desiredState";
import { buildValidatedState } from "../loader/validatedState";
import { applyStackSettings, comparisonSettings } from "../loader/stackSelection";
import { identitiesOf } from "../loader/uniqueNames";
import type { StackSettings } from "../model/stack";
import type { DesiredState } from "../model/types";
import { checkRemovals, type RemovalCheck, type SelectionSides } from "../summary/removals";
import { summarizeChanges, type ChangeSummary, type SummaryContext } from "../summary/summarize";
import type { ProgressReporter } from "../util/progress";
import { requireContent } from "../loader/contentFolder";
import { checkoutBase, pathInRepository, type BaseCheckout } from "./gitBase";
import { resolveStackContent } from "./stackContent";

export interface ChangeSides {
  base: DesiredState;
  head: DesiredState;
  ref: { ref: string; commit: string };
  context: SummaryContext;
}

export interface ChangeOptions {
  base: string;
  content?: string;
  stack?: string;
  projectDir?: string;
  /** An empty content folder is compared instead of being an error. */
  allowEmpty?: boolean;
  progress?: ProgressReporter;
}

const EMPTY: DesiredState = { resources: [], diagnostics: [], files: [], retired: [], tests: [] };

/**
 * The content at the merge base and in the working tree, loaded once per content folder.
 * Dispose of it to remove the base's temporary checkout.
 */
export class ChangeLoader {
  private readonly checkout: BaseCheckout;
  private readonly bases = new Map<string, DesiredState>();
  private readonly heads = new Map<string, DesiredState>();

  constructor(
    readonly projectDir: string,
    base: string,
    contentDir: string,
  ) {
    this.checkout = checkoutBase(contentDir, base);
  }

  get ref(): { ref: string; commit: string } {
    return { ref: this.checkout.ref, commit: this.checkout.commit };
  }

  /** The whole content of `contentDir` at the base (empty when the folder did not exist there). */
  base(contentDir: string): DesiredState {
    const dir = resolve(contentDir);
    let state = this.bases.get(dir);
    if (!state) {
      const atBase = join(this.checkout.root, pathInRepository(this.checkout.repositoryRoot, dir));
      state = existsSync(atBase) ? buildDesiredState(atBase) : EMPTY;
      this.bases.set(dir, state);
    }
    return state;
  }

  /** Which file held each identity at the base, so a duplicate is reported on the file that introduced it. */
  established(contentDir: string): Map<string, string> {
    return identitiesOf(this.base(contentDir).resources);
  }

  /** The whole content of `contentDir` in the working tree (or the state a caller already built). */
  head(contentDir: string, built?: DesiredState): DesiredState {
    const dir = resolve(contentDir);
    if (built) this.heads.set(dir, built);
    let state = this.heads.get(dir);
    if (!state) {
      state = buildDesiredState(dir, { established: this.established(dir) });
      this.heads.set(dir, state);
    }
    return state;
  }

  /**
   * A stack at the base: its selection, and its content folder (as the working tree's path, so
   * base() finds it in the checkout), from its own Pulumi.<stack>.yaml and Pulumi.yaml there;
   * undefined for a stack the change creates.
   */
  baseStack(stack: string): { settings: StackSettings; contentDir: string } | undefined {
    const baseProjectDir = join(this.checkout.root, pathInRepository(this.checkout.repositoryRoot, this.projectDir));
    if (!existsSync(join(baseProjectDir, `Pulumi.${stack}.yaml`))) return undefined;
    let settings: ProjectSettings;
    try {
      // The base's file was written for the code of its day: a setting since removed is no reason to stop.
      settings = readStackFile(baseProjectDir, stack, { ignoreUnknownKeys: true }).settings;
    } catch (error) {
      // A stack file the change repairs cannot say what the base deployed; compare with today's settings.
      if (error instanceof ConfigError) return undefined;
      throw error;
    }
    return { settings: settings.stack, contentDir: resolve(this.projectDir, settings.contentDir) };
  }

  /**
   * One selection at both ends; a stack the change creates is compared with its own selection at
   * both. A stack's base side is read from its content folder at the base, so a change of
   * `contentDir` (in the stack file or Pulumi.yaml's default) is a change of its content too.
   */
  sides(contentDir: string, stack: string | undefined, headSettings: StackSettings): SelectionSides {
    const atBase = stack !== undefined ? this.baseStack(stack) : undefined;
    const baseDir = atBase?.contentDir ?? resolve(contentDir);
    return {
      ...(stack !== undefined ? { stack } : {}),
      base: applyStackSettings(this.base(baseDir), comparisonSettings(atBase?.settings ?? headSettings)),
      head: applyStackSettings(this.head(contentDir), comparisonSettings(headSettings)),
      ...(baseDir !== resolve(contentDir) ? { movedFrom: relative(this.projectDir, baseDir) || "." } : {}),
    };
  }

  /**
   * The safe-delete check for `contentDir` (the content a command reads) and for every stack of
   * the project, each with its own content folder and selection.
   */
  removals(contentDir: string): RemovalCheck {
    const byFolder = new Map<string, SelectionSides[]>([[resolve(contentDir), []]]);
    for (const stack of listStacks(this.projectDir)) {
      const file = readStackFile(this.projectDir, stack);
      const dir = resolve(this.projectDir, file.settings.contentDir);
      const list = byFolder.get(dir) ?? [];
      list.push(this.sides(dir, stack, file.settings.stack));
      byFolder.set(dir, list);
    }
    const findings: RemovalCheck["findings"] = [];
    const acknowledged: RemovalCheck["acknowledged"] = [];
    const seen = new Set<string>();
    for (const [dir, stacks] of byFolder) {
      const check = checkRemovals({ base: this.base(dir), head: this.head(dir) }, stacks);
      for (const f of check.findings) {
        if (seen.has(f.message)) continue;
        seen.add(f.message);
        findings.push(f);
      }
      acknowledged.push(...check.acknowledged);
    }
    return { findings, acknowledged };
  }

  dispose(): void {
    this.checkout.dispose();
  }
}

/** Runs `use` with a loader for the change since `base`, and removes the checkout afterwards. */
export function withChange<T>(projectDir: string, base: string, contentDir: string, use: (loader: ChangeLoader) => T): T {
  const loader = new ChangeLoader(projectDir, base, contentDir);
  try {
    return use(loader);
  } finally {
    loader.dispose();
  }
}

/**
 * The content at the base and in the working tree, each with its own stack settings, and the
 * removal check over every stack. The working tree gets every check, KQL included, as `validate`
 * runs them: a change that breaks a query must fail the summary too.
 */
export async function loadSides(options: ChangeOptions): Promise<ChangeSides> {
  const { projectDir, contentDir, settings } = resolveStackContent(options);
  const loader = new ChangeLoader(projectDir, options.base, contentDir);
  try {
    const validated = await buildValidatedState(contentDir, {
      established: loader.established(contentDir),
      ...(options.progress ? { progress: options.progress } : {}),
    });
    requireContent(contentDir, validated.files, options.allowEmpty);
    loader.head(contentDir, validated);
    const { base, head } = loader.sides(contentDir, options.stack, settings);
    return {
      base,
      head,
      ref: loader.ref,
      context: { ...(options.stack ? { stack: options.stack } : {}), removals: loader.removals(contentDir) },
    };
  } finally {
    loader.dispose();
  }
}

/** What a change does to the detections (`summarize --base`). */
export async function summarizeChange(options: ChangeOptions): Promise<ChangeSummary> {
  const sides = await loadSides(options);
  return summarizeChanges(sides.base, sides.head, sides.ref, sides.context);
}
