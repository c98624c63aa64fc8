/** The benchmark's progress line on stderr: on a terminal only, so results piped to a file stay clean. */
import { commandProgress } from "../src/cli/progress";

export const benchProgress = commandProgress();
