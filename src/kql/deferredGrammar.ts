/**
 * Defers Kusto.Language's completion grammar until something uses it.
 *
 * `KustoCode.Create` (behind Parse and ParseAndAnalyze) asks `QueryGrammar.From(globals)`
 * for the grammar's `QueryBlock` parser and keeps it on the KustoCode, but with the default
 * parser kind it parses with the hand-written `QueryParser`: only the editor's completion
 * (KustoCompleter) and the control-command grammar ever run the grammar. Building it costs
 * about 1.2 s of CPU in every thread that parses, which is most of a worker's start-up.
 *
 * `From` returns the grammar it last built when the parse options match. We seed that slot
 * with a stand-in whose members build the real grammar on first use and forward to it; its
 * `QueryBlock` is a stand-in of the same kind, so storing it on a KustoCode builds nothing.
 * Anything that does use the grammar gets the real one. If the library's internals ever
 * change shape, nothing is seeded and Kusto.Language builds the grammar as before.
 */

interface GrammarInternals {
  /** The class; `new QueryGrammar(parseOptions)` builds the grammar. */
  QueryGrammar: (new (options: unknown) => { QueryBlock?: object }) & {
    s_currentGrammar?: unknown;
    CachedGrammar?: new (grammar: object, options: unknown) => object;
  };
  parseOptions: unknown;
}

/** State of the stand-in in this thread, for tests: was the real grammar built? */
export interface DeferredGrammar {
  readonly built: boolean;
}

/**
 * An object that stands for `resolve()`'s result and creates it on first use; `early` may
 * answer some reads without creating it. One proxy over an empty object: the invariant checks
 * of a proxy consult its target, so a proxy over another stand-in would create that one.
 */
function standIn(resolve: () => object, early: (key: string | symbol) => unknown = () => undefined): object {
  return new Proxy(Object.create(null) as object, {
    get: (_, key) => {
      const answer = early(key);
      if (answer !== undefined) return answer;
      const target = resolve();
      return Reflect.get(target, key, target);
    },
    set: (_, key, value) => Reflect.set(resolve(), key, value),
    has: (_, key) => Reflect.has(resolve(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(resolve()),
    ownKeys: () => Reflect.ownKeys(resolve()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(resolve(), key);
      // A proxy may not report a non-configurable property its own (empty) target lacks.
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
  });
}

function internals(kusto: object): GrammarInternals | undefined {
  const k = kusto as { Parsing?: { QueryGrammar?: unknown }; GlobalState?: { Default?: { ParseOptions?: unknown } } };
  const grammar = k.Parsing?.QueryGrammar as GrammarInternals["QueryGrammar"] | undefined;
  const parseOptions = k.GlobalState?.Default?.ParseOptions;
  if (typeof grammar !== "function" || typeof grammar.CachedGrammar !== "function" || !parseOptions) return undefined;
  if (!("s_currentGrammar" in grammar) || grammar.s_currentGrammar !== null) return undefined;
  return { QueryGrammar: grammar, parseOptions };
}

/** Seeds the stand-in into Kusto.Language (the global `Kusto.Language` of this thread); once per thread. */
export function deferCompletionGrammar(kusto: object): DeferredGrammar | undefined {
  const found = internals(kusto);
  if (!found) return undefined;
  const { QueryGrammar, parseOptions } = found;
  let real: { QueryBlock?: object } | undefined;
  const build = () => (real ??= new QueryGrammar(parseOptions));
  const queryBlock = standIn(() => build().QueryBlock ?? {});
  // `QueryBlock` is the one member KustoCode.Create reads; it is answered without building.
  const grammar = standIn(build, (key) => (key === "QueryBlock" && !real ? queryBlock : undefined));
  QueryGrammar.s_currentGrammar = new QueryGrammar.CachedGrammar!(grammar, parseOptions);
  return {
    get built() {
      return real !== undefined;
    },
  };
}
