/** Every built-in scalar function the engine implements, by the name Kusto.Language binds. */
import { CONVERSION_FUNCTIONS } from "./conversion";
import { DATETIME_FUNCTIONS } from "./datetime";
import { DYNAMIC_FUNCTIONS } from "./dynamic";
import { IP_FUNCTIONS } from "./ip";
import { LOGIC_FUNCTIONS } from "./logic";
import { MATH_FUNCTIONS } from "./math";
import { STRING_FUNCTIONS } from "./strings";
import { WINDOW_FUNCTIONS } from "./window";
import { XML_FUNCTIONS } from "./xml";
import { SERIES_FUNCTIONS } from "./series";
import type { ScalarFunction } from "./types";
import { COMMAND_LINE_FUNCTIONS } from "./commandLine";

export const SCALAR_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map(
  Object.entries({
    ...CONVERSION_FUNCTIONS,
    ...LOGIC_FUNCTIONS,
    ...STRING_FUNCTIONS,
    ...MATH_FUNCTIONS,
    ...DATETIME_FUNCTIONS,
    ...DYNAMIC_FUNCTIONS,
    ...IP_FUNCTIONS,
    ...WINDOW_FUNCTIONS,
    ...XML_FUNCTIONS,
    ...COMMAND_LINE_FUNCTIONS,
    ...SERIES_FUNCTIONS,
  }),
);
