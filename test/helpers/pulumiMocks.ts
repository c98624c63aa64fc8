/**
 * Runs Pulumi program code under the SDK's own mock monitor and records what
 * the engine would be asked to register: type, name, inputs, and the resource
 * options (dependsOn, replaceOnChanges, deleteBeforeReplace, protect, provider version)
 * taken from the registration requests the mock monitor receives.
 */
import * as pulumi from "@pulumi/pulumi";

export interface Registration {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, unknown>;
  dependencies: string[];
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  protect: boolean;
  version: string;
  /** URN of the parent resource; empty for resources at the top of the stack. */
  parent: string;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getProtect(): boolean;
  getVersion(): string;
  getParent(): string;
}
type RegisterCallback = (error: unknown, response: { getUrn(): string } | undefined) => void;
interface ObservableMonitor {
  registerResource(req: RegisterRequest, callback: RegisterCallback): void;
}

export class MockDeployment {
  readonly registrations: Registration[] = [];
  private readonly inputs = new Map<string, Record<string, unknown>>();

  constructor(config: Record<string, string>) {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          this.inputs.set(`${args.type}::${args.name}`, args.inputs as Record<string, unknown>);
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "sentinel-iac",
      "test",
      false,
    );
    pulumi.runtime.setAllConfig(config);
    const monitor = pulumi.runtime.getMonitor() as unknown as ObservableMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) =>
      register(req, (error, response) => {
        if (!error && response) {
          this.registrations.push({
            type: req.getType(),
            name: req.getName(),
            urn: response.getUrn(),
            inputs: this.inputs.get(`${req.getType()}::${req.getName()}`) ?? {},
            dependencies: req.getDependenciesList(),
            deleteBeforeReplace: req.getDeletebeforereplace(),
            replaceOnChanges: req.getReplaceonchangesList(),
            protect: req.getProtect(),
            version: req.getVersion(),
            parent: req.getParent(),
          });
        }
        callback(error, response);
      });
  }

  /** Waits until every given resource has been registered. */
  async settle(resources: Iterable<pulumi.Resource>): Promise<void> {
    await Promise.all([...resources].map((r) => new Promise<string>((resolve) => r.urn.apply((u) => (resolve(u), u)))));
  }

  byName(name: string): Registration {
    const found = this.registrations.find((r) => r.name === name);
    if (!found) throw new Error(`no resource named ${name}; registered: ${this.registrations.map((r) => r.name).join(", ")}`);
    return found;
  }

  urnOf(name: string): string {
    return this.byName(name).urn;
  }
}
