/**
 * parse_xml() with fast-xml-parser, shaped as Kusto documents: attributes as "@name", text
 * beside attributes or children as "#text", repeated elements as arrays, an empty element as
 * null, numbers as numbers (the documentation's example); invalid XML gives null.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { fn1, type FunctionTable } from "./types";
import { dynFromJs } from "../values/dynamic";
import type { Dyn } from "../values/types";

const MAX_LENGTH = 1_048_576;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  textNodeName: "#text",
  parseAttributeValue: false,
  parseTagValue: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  numberParseOptions: { hex: false, leadingZeros: false, eNotation: true },
});

function emptyToNull(v: Dyn): Dyn {
  if (v === "") return null;
  if (Array.isArray(v)) return v.map(emptyToNull);
  if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) if (!k.startsWith("@")) v[k] = emptyToNull(x);
  }
  return v;
}

export function parseXmlText(text: string): Dyn {
  if (text.length > MAX_LENGTH || text.trim() === "" || XMLValidator.validate(text) !== true) return null;
  try {
    return emptyToNull(dynFromJs(parser.parse(text)));
  } catch {
    return null;
  }
}

export const XML_FUNCTIONS: FunctionTable = {
  parse_xml: fn1("string", (s) => parseXmlText(s as string)),
};
