/** Checks a function's parameters the way KQL declares them. */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { LoadedFunction } from "../content/load";
import { FieldReporter } from "../diagnostics/fieldReporter";

export function checkSavedFunction(fn: LoadedFunction, sink: Diagnostic[]): void {
  const report = new FieldReporter(fn.source, sink);
  const params = fn.doc.parameters ?? [];
  const names = new Set<string>();
  let sawScalar = false;
  let sawDefault = false;
  params.forEach((p, i) => {
    const path = ["parameters", i];
    if (names.has(p.name.toLowerCase())) {
      report.error(
        [...path, "name"],
        "function/duplicate-parameter",
        `parameter '${p.name}' is declared twice`,
        "Give each parameter a unique name.",
      );
    }
    names.add(p.name.toLowerCase());
    if (p.type === "table") {
      if (sawScalar) {
        report.error(
          [...path, "type"],
          "function/parameter-order",
          `table parameter '${p.name}' comes after a scalar parameter`,
          "KQL requires tabular parameters first; move it before the scalar parameters.",
        );
      }
      if (p.default !== undefined) {
        report.error(
          [...path, "default"],
          "function/table-default",
          `table parameter '${p.name}' cannot have a default`,
          "Remove the default.",
          "key",
        );
      }
      const cols = new Set<string>();
      (p.columns ?? []).forEach((c, j) => {
        if (cols.has(c.name))
          report.error(
            [...path, "columns", j, "name"],
            "function/duplicate-column",
            `column '${c.name}' is listed twice`,
            "List each column once.",
          );
        cols.add(c.name);
      });
      return;
    }
    sawScalar = true;
    if (p.columns !== undefined) {
      report.error(
        [...path, "columns"],
        "function/scalar-columns",
        `scalar parameter '${p.name}' cannot list columns`,
        "Remove 'columns', or set type: table.",
        "key",
      );
    }
    if (p.default === undefined) {
      if (sawDefault) {
        report.error(
          [...path, "name"],
          "function/parameter-order",
          `parameter '${p.name}' has no default but follows one that has`,
          "KQL requires parameters with defaults last; give it a default or move it up.",
        );
      }
    } else {
      sawDefault = true;
      const ok =
        (typeof p.default === "number" && ["int", "long", "real", "double", "decimal"].includes(p.type)) ||
        (typeof p.default === "boolean" && (p.type === "bool" || p.type === "boolean")) ||
        (typeof p.default === "string" && ["string", "datetime", "timespan", "guid", "dynamic"].includes(p.type));
      if (!ok) {
        report.error(
          [...path, "default"],
          "function/default-type",
          `default ${JSON.stringify(p.default)} does not fit type ${p.type}`,
          `Give a ${p.type} default.`,
        );
      }
    }
  });
}
