/** One thing a reviewer must see about a change. */
export type FindingSeverity = "error" | "warning" | "notice";

export interface Finding {
  severity: FindingSeverity;
  code: string;
  message: string;
  /** The resource it is about: display name and file. */
  subject?: { kind: string; name: string; displayName?: string; file?: string };
}
