/**
 * A Sentinel watchlist: metadata in YAML, rows in a CSV beside it. The CSV is
 * authoritative: each row becomes one watchlist item.
 */
import Type from "typebox";
import { Duration, Enum, KQL_IDENTIFIER_PATTERN } from "./common";

export const WATCHLIST_COLUMN_TYPES = ["string", "ip-address", "ip-range"] as const;

export const WatchlistSchema = Type.Object(
  {
    alias: Type.String({
      pattern: KQL_IDENTIFIER_PATTERN,
      description: "Alias queries use in _GetWatchlist('<alias>'). Also its resource name.",
    }),
    displayName: Type.String({ minLength: 1, description: "Display name." }),
    description: Type.Optional(Type.String({ description: "What the watchlist holds and who maintains it." })),
    provider: Type.String({ minLength: 1, description: "Who provides the data, e.g. the owning team." }),
    itemsSearchKey: Type.String({
      minLength: 1,
      description: "CSV column used as the search key (SearchKey in _GetWatchlist). Values must be unique.",
    }),
    labels: Type.Optional(Type.Array(Type.String(), { description: "Labels shown in the Sentinel UI." })),
    defaultDuration: Type.Optional(Duration("How long items stay valid.")),
    itemsFile: Type.Optional(Type.String({ description: "Path of the CSV, relative to this file. Defaults to <this file's name>.csv." })),
    columns: Type.Optional(
      Type.Record(
        Type.String(),
        Type.Object(
          {
            type: Enum(
              WATCHLIST_COLUMN_TYPES,
              "string; ip-address (one IPv4/IPv6 address); ip-range (an address, a CIDR, or an a-b range).",
            ),
            description: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        { description: "Optional value checks per CSV column, so malformed rows fail validation instead of silently never matching." },
      ),
    ),
  },
  {
    additionalProperties: false,
    title: "Microsoft Sentinel watchlist",
    description: "A watchlist whose rows come from a CSV file beside this YAML.",
  },
);

export type WatchlistDoc = Type.Static<typeof WatchlistSchema>;
export type WatchlistColumnType = (typeof WATCHLIST_COLUMN_TYPES)[number];
