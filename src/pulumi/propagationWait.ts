/**
 * Waits after a watchlist or function is created or changed, before rules that
 * use it are written.
 *
 * Sentinel validates a rule's query when the rule is created or updated, and
 * a just-created watchlist or saved function can take a while to become
 * visible to that validation. azure-native does not retry the resulting 400,
 * so `dependsOn` alone is not enough. This dynamic resource sleeps on create,
 * and is replaced (sleeping again) whenever the definitions it guards change;
 * otherwise it does nothing, so routine deploys pay no delay.
 */
import * as pulumi from "@pulumi/pulumi";

export interface PropagationWaitInputs {
  /** Hash of the watchlist and function definitions the wait guards. */
  trigger: string;
  seconds: number;
}

export const propagationWaitProvider: pulumi.dynamic.ResourceProvider<PropagationWaitInputs, PropagationWaitInputs> = {
  async create(inputs) {
    await new Promise((resolve) => setTimeout(resolve, inputs.seconds * 1000));
    return { id: `wait-${inputs.trigger.slice(0, 16)}`, outs: inputs };
  },
  async diff(_id, olds, news) {
    const replace = olds.trigger !== news.trigger;
    return { changes: replace || olds.seconds !== news.seconds, replaces: replace ? ["trigger"] : [], deleteBeforeReplace: false };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export class PropagationWait extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: PropagationWaitInputs, opts?: pulumi.CustomResourceOptions) {
    super(propagationWaitProvider, name, { ...inputs }, opts, "sentinel-iac", "PropagationWait");
  }
}
