/** Regenerates stand-in/example-state.json from the project's content (see stand-in/src/exampleState.ts). */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { exampleStateText } from "./src/exampleState";

const projectDir = resolve(__dirname, "..");
const target = join(projectDir, "stand-in", "example-state.json");
writeFileSync(target, exampleStateText(projectDir));
console.log(`wrote ${target}`);
