/**
 * Progress on stderr for commands that can take a while: one spinner line on a terminal, redrawn
 * in place; nothing in CI logs, when stderr is redirected, or with a machine format, unless
 * `--progress` asks for it (then, off a terminal, a plain line per phase and per wait).
 */
import yoctoSpinner from "yocto-spinner";
import { NO_PROGRESS, type ProgressReporter } from "../util/progress";

export interface CommandProgress extends ProgressReporter {
  /** Clears the line; call when the command ends, before its last output. */
  stop(): void;
}

/** Redraws at most this often: a count that changes per query must not flood the terminal. */
const REDRAW_MS = 100;
/** Off a terminal (`--progress` in CI), a running count is written at most this often. */
const LINE_COUNT_MS = 5_000;

interface Stream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressChoice {
  /** `--progress`: report even off a terminal and with machine formats. */
  forced?: boolean;
  /** The output is for tools (json, sarif, github): stay quiet unless forced. */
  machineFormat?: boolean;
  stream?: Stream;
  env?: NodeJS.ProcessEnv;
}

function label(phase: string, done: number, total: number | undefined, wait: string | undefined): string {
  const count =
    total !== undefined
      ? ` ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`
      : done > 0
        ? ` ${done.toLocaleString("en-US")}`
        : "";
  return `${phase}${count}${wait ? `: ${wait}` : ""}`;
}

export function commandProgress(choice: ProgressChoice = {}): CommandProgress {
  const stream = choice.stream ?? process.stderr;
  const env = choice.env ?? process.env;
  const interactive = stream.isTTY === true && env["TERM"] !== "dumb" && !("CI" in env);
  if (!choice.forced && (choice.machineFormat || !interactive)) return { ...NO_PROGRESS, stop() {} };
  return interactive ? spinnerProgress(stream as NodeJS.WriteStream) : lineProgress(stream);
}

/** Shared state: the phase, its count and total, and a wait shown until the count moves again. */
function tracker(show: (text: string, urgent: boolean) => void): ProgressReporter {
  let phase = "";
  let total: number | undefined;
  let done = 0;
  let wait: string | undefined;
  return {
    phase(name, count) {
      phase = name;
      total = count;
      done = 0;
      wait = undefined;
      show(label(phase, done, total, wait), true);
    },
    advance(n) {
      done = n;
      wait = undefined;
      show(label(phase, done, total, wait), false);
    },
    wait(message) {
      wait = message;
      show(label(phase, done, total, wait), true);
    },
  };
}

function spinnerProgress(stream: NodeJS.WriteStream): CommandProgress {
  const spinner = yoctoSpinner({ stream });
  let last = 0;
  const reporter = tracker((text, urgent) => {
    const now = Date.now();
    if (!urgent && now - last < REDRAW_MS) return;
    last = now;
    if (spinner.isSpinning) spinner.text = text;
    else spinner.start(text);
  });
  return { ...reporter, stop: () => void spinner.stop() };
}

function lineProgress(stream: Stream): CommandProgress {
  let last = 0;
  const reporter = tracker((text, urgent) => {
    const now = Date.now();
    if (!urgent && now - last < LINE_COUNT_MS) return;
    last = now;
    stream.write(`progress: ${text}\n`);
  });
  return { ...reporter, stop() {} };
}
