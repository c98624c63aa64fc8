/** MITRE ATT&CK ids as Sentinel's APIs take them. */

/** `T1078.004` -> `T1078`: alert rules take parent technique ids only. */
export function parentTechnique(technique: string): string {
  return technique.split(".")[0] ?? technique;
}
