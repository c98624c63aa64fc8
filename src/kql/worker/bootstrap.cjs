// Worker entry: worker threads start without the parent's TypeScript hook, so register tsx first.
require("tsx/cjs/api").register();
require("./analysisWorker.ts");
