import { formatFieldPath, type Diagnostic, type Severity, type SourcePosition } from "./diagnostic";
import type { FieldPath, SourceDocument } from "./source";

/**
 * Records diagnostics against fields of one YAML file.
 *
 * A field's line and column come from re-reading the file with the `yaml`
 * package (see content/yamlSource.ts), which costs far more than loading it.
 * So positions are resolved when first read: a `pulumi up` that shows 20 of
 * 3,000 warnings places 20, while the plan, which prints them all, places all.
 */
export class FieldReporter {
  constructor(
    private readonly source: SourceDocument,
    private readonly sink: Diagnostic[],
  ) {}

  report(severity: Severity, path: FieldPath, code: string, message: string, hint?: string, part: "key" | "value" = "value"): void {
    const diagnostic: Diagnostic = {
      severity,
      code,
      file: this.source.file,
      ...(path.length > 0 ? { field: formatFieldPath(path) } : {}),
      message,
      ...(hint ? { hint } : {}),
    };
    const source = this.source;
    let range: { start: SourcePosition; end: SourcePosition } | undefined;
    const resolve = () => (range ??= source.locate(path, part) ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
    Object.defineProperties(diagnostic, {
      position: { enumerable: true, get: () => resolve().start },
      end: { enumerable: true, get: () => resolve().end },
    });
    this.sink.push(diagnostic);
  }

  error(path: FieldPath, code: string, message: string, hint?: string, part?: "key" | "value"): void {
    this.report("error", path, code, message, hint, part);
  }
  warning(path: FieldPath, code: string, message: string, hint?: string, part?: "key" | "value"): void {
    this.report("warning", path, code, message, hint, part);
  }
  info(path: FieldPath, code: string, message: string, hint?: string, part?: "key" | "value"): void {
    this.report("info", path, code, message, hint, part);
  }
}
