/** The package's version, for `--version` and the SARIF tool entry. */
export const VERSION = (require("../../package.json") as { version: string }).version;
