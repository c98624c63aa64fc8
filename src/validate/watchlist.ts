/** Checks a watchlist's metadata against its CSV, and each row's values. */
import type { Diagnostic } from "../diagnostics/diagnostic";
import type { LoadedWatchlist } from "../content/load";
import {
  combinedBreadth,
  entryBreadth,
  normalizeIpText,
  parseAddress,
  parseIpRangeEntry,
  parseIpRangeLenient,
  type IpRange,
} from "../util/ipRange";
import { startsLikeFormula } from "../util/spreadsheetFormula";
import { didYouMean } from "../util/suggest";
import { FieldReporter } from "../diagnostics/fieldReporter";
import { searchKeyIdentity } from "../sentinel/watchlistItem";

/** Watchlist alias rules from the Sentinel docs: 3-64 characters, starting and ending with a letter or digit. */
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9_]{1,62}[A-Za-z0-9]$/;

const tooBroad = (column: string, value: string, covers: string) =>
  `${column} '${value}' covers ${covers}: an entry this broad allowlists far more than any one network, and silently switches off every rule that excludes what this watchlist lists`;
const TOO_BROAD_HINT =
  "List only the networks you own or trust (your egress CIDRs, the partner's published ranges). If the rules really should not run for this traffic, disable them instead.";

/** Invisible and space characters a reader cannot tell apart. */
const INVISIBLE = /[\s\u00AD\u180E\u200B-\u200F\u2028-\u202F\u205F-\u2064\uFEFF]/gu;

/** A search key as a reader sees it: compatibility forms folded, no whitespace or invisible characters, lower case. */
function looseSearchKey(value: string): string {
  return value.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
}

/** A value for messages, with invisible characters shown as `\u{...}`. */
function visible(value: string): string {
  return value.replace(
    /[\u00AD\u180E\u200B-\u200F\u2028-\u202F\u205F-\u2064\uFEFF]/gu,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

export function checkWatchlist(watchlist: LoadedWatchlist, sink: Diagnostic[]): void {
  const report = new FieldReporter(watchlist.source, sink);
  const { doc, table, itemsFile } = watchlist;
  const rowError = (line: number, code: string, message: string, hint: string, severity: "error" | "warning" = "error") =>
    sink.push({ severity, code, file: itemsFile, position: { line, column: 1 }, message, hint });

  if (!ALIAS.test(doc.alias)) {
    report.error(
      ["alias"],
      "watchlist/invalid-alias",
      `'${doc.alias}' is not a valid watchlist alias`,
      "Use 3 to 64 letters, digits or underscores, starting and ending with a letter or digit.",
    );
  }
  const columns = table.columns;
  if (!columns.includes(doc.itemsSearchKey)) {
    report.error(
      ["itemsSearchKey"],
      "watchlist/search-key-column",
      `search key column '${doc.itemsSearchKey}' is not in ${itemsFile} (columns: ${columns.join(", ")})`,
      `${didYouMean(doc.itemsSearchKey, columns)}The search key must name a CSV header column exactly (case-sensitive).`,
    );
    return;
  }
  for (const name of Object.keys(doc.columns ?? {})) {
    if (!columns.includes(name)) {
      report.error(
        ["columns", name],
        "watchlist/unknown-column",
        `column '${name}' is not in ${itemsFile}`,
        `${didYouMean(name, columns)}Describe only columns the CSV has.`,
        "key",
      );
    }
  }
  if (table.rows.length === 0) {
    report.info([], "watchlist/empty", `${itemsFile} has no rows; the watchlist will be empty`);
  }
  const seen = new Map<string, { line: number; key: string }>();
  /** Every IP entry read, for the combined breadth; and whether one alone was already refused. */
  const ranges: IpRange[] = [];
  let broadEntry = false;
  for (const row of table.rows) {
    const key = row.values[doc.itemsSearchKey] ?? "";
    if (key === "") {
      rowError(
        row.line,
        "watchlist/empty-search-key",
        `row has no value in search key column '${doc.itemsSearchKey}'`,
        "Fill in the search key, or delete the row.",
      );
      continue;
    }
    // Rows that differ only in case or whitespace (zero-width and non-breaking spaces included)
    // are one row to a reader and to Sentinel's lookups, so they are one row here too.
    const identity = looseSearchKey(key);
    const first = seen.get(identity);
    if (first !== undefined) {
      const same = searchKeyIdentity(first.key) === searchKeyIdentity(key) && first.key.trim() === key.trim();
      rowError(
        row.line,
        "watchlist/duplicate-search-key",
        `search key '${visible(key)}' repeats line ${first.line}${same ? "" : ` ('${visible(first.key)}') once case and whitespace are ignored`}`,
        "Search keys identify rows and must be unique (ignoring case and whitespace); merge the rows.",
      );
    } else {
      seen.set(identity, { line: row.line, key });
    }
    for (const [column, value] of Object.entries(row.values)) {
      if (value === value.trim()) continue;
      rowError(
        row.line,
        "watchlist/padded-cell",
        `${column} '${visible(value)}' has leading or trailing whitespace, which Sentinel may not keep: the deploy compares cells exactly, so a value the service trims would show as a change on every deploy`,
        "Remove the surrounding whitespace.",
        "warning",
      );
    }
    for (const [column, value] of Object.entries(row.values)) {
      if (!startsLikeFormula(value)) continue;
      rowError(
        row.line,
        "watchlist/formula-cell",
        `${column} '${visible(value)}' starts with '${value.trimStart()[0] ?? value[0]}': a spreadsheet opening this CSV, or an analyst's export of the watchlist, would run it as a formula`,
        "Check that the value is meant. Analysts should import such CSVs as text (Data > From Text/CSV) rather than open them directly.",
        "warning",
      );
    }
    // Columns not typed ip-range (checked below) are checked for breadth too when a value is a
    // CIDR or a range: an allowlist does not have to declare its column types to switch rules off.
    // They are read leniently (leading zeros, spaces, invisible characters, full-width forms),
    // because some consumer of the list may read them so.
    for (const [column, value] of Object.entries(row.values)) {
      if (doc.columns?.[column]?.type === "ip-range" || !/[/-]/.test(normalizeIpText(value))) continue;
      const parsed = parseIpRangeLenient(value);
      if (!parsed.ok) continue;
      ranges.push(parsed.range);
      const breadth = entryBreadth(parsed.range);
      if (breadth) {
        broadEntry ||= breadth.severity === "error";
        rowError(
          row.line,
          "watchlist/ip-range-too-broad",
          tooBroad(column, visible(value), breadth.covers),
          TOO_BROAD_HINT,
          breadth.severity,
        );
      }
    }
    for (const [column, spec] of Object.entries(doc.columns ?? {})) {
      const value = row.values[column];
      if (value === undefined || value === "") continue;
      if (spec.type === "ip-range") {
        const parsed = parseIpRangeEntry(value);
        if (!parsed.ok) {
          rowError(
            row.line,
            "watchlist/invalid-ip-range",
            `${column} '${visible(value)}' ${parsed.reason}`,
            "Write a single address (192.0.2.1, 2001:db8::1), a CIDR (192.0.2.0/24) or a range (192.0.2.10-192.0.2.20).",
          );
          continue;
        }
        ranges.push(parsed.range);
        const breadth = entryBreadth(parsed.range);
        if (breadth) {
          broadEntry ||= breadth.severity === "error";
          rowError(row.line, "watchlist/ip-range-too-broad", tooBroad(column, value, breadth.covers), TOO_BROAD_HINT, breadth.severity);
        } else if (parsed.note) {
          rowError(
            row.line,
            "watchlist/ip-range-host-bits",
            `${column} '${value}' ${parsed.note}`,
            "Write the network address so the entry says what it covers.",
            "warning",
          );
        }
      } else if (spec.type === "ip-address" && !parseAddress(value)) {
        rowError(
          row.line,
          "watchlist/invalid-ip-address",
          `${column} '${visible(value)}' is not an IP address`,
          "Write a single IPv4 (dotted quad) or IPv6 address.",
        );
      }
    }
  }
  // Many narrow entries can add up to one broad one (256 public /16s are a public /8).
  const combined = broadEntry ? undefined : combinedBreadth(ranges);
  if (combined) {
    rowError(
      1,
      "watchlist/ip-ranges-too-broad",
      `the rows of ${itemsFile} together cover ${combined.breadth.covers}: as broad as one entry this check refuses, and it silently switches off every rule that excludes what this watchlist lists`,
      TOO_BROAD_HINT,
    );
  }
}
