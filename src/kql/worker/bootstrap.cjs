// Worker entry. Kusto.Language's two scripts (5 MB) load first, before tsx's require hook:
// the hook scans every loaded .js file for ES-module syntax, ~0.3 s per thread for these two.
// loadKusto() then finds them in the require cache.
require("@kusto/language-service-next/bridge.min.js");
require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
// Worker threads start without the parent's TypeScript hook, so register tsx before the worker's code.
require("tsx/cjs/api").register();
require("./analysisWorker.ts");
