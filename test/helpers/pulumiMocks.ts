/**
 * Runs Pulumi program code under the SDK's own mock monitor and records what
 * the engine would be asked to register: type, name, inputs, and the resource
 * options (dependsOn, replaceOnChanges, deleteBeforeReplace, protect, provider
 * version, aliases, parent, provider reference, package reference, deletedWith)
 * taken from the registration requests the mock monitor receives, plus every
 * package registration (parameterized providers).
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
  /** Each alias as the SDK sends it: a URN, or a spec rendered as JSON. */
  aliases: string[];
  /** `<provider URN>::<provider id>` of an explicit provider; empty for the package's default provider. */
  provider: string;
  /** The package reference returned by a package registration; empty for plain packages. */
  packageRef: string;
  deletedWith: string;
}

/** A `RegisterPackage` request: the base plugin and the parameterization it is asked to apply. */
export interface PackageRegistration {
  name: string;
  version: string;
  downloadUrl: string;
  parameterization?: { name: string; version: string; value: Uint8Array };
  /** What the mock monitor answered. */
  ref: string;
}

interface AliasSpec {
  getName(): string;
  getType(): string;
  getStack(): string;
  getProject(): string;
  getParenturn(): string;
  getNoparent(): boolean;
}
interface Alias {
  getUrn(): string;
  hasSpec(): boolean;
  getSpec(): AliasSpec | undefined;
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
  getAliasesList(): Alias[];
  getProvider(): string;
  getPackageref(): string;
  getDeletedwith(): string;
}
interface PackageRequest {
  getName(): string;
  getVersion(): string;
  getDownloadUrl(): string;
  getParameterization(): { getName(): string; getVersion(): string; getValue_asU8(): Uint8Array } | undefined;
}
type RegisterCallback = (error: unknown, response: { getUrn(): string } | undefined) => void;
type PackageCallback = (error: unknown, response: { getRef(): string } | undefined) => void;
interface ObservableMonitor {
  registerResource(req: RegisterRequest, callback: RegisterCallback): void;
  registerPackage(req: PackageRequest, callback: PackageCallback): void;
}

function describeAlias(alias: Alias): string {
  const spec = alias.hasSpec() ? alias.getSpec() : undefined;
  if (!spec) return alias.getUrn();
  const fields = { name: spec.getName(), type: spec.getType(), stack: spec.getStack(), project: spec.getProject() };
  return JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== "")));
}

export class MockDeployment {
  readonly registrations: Registration[] = [];
  readonly packages: PackageRegistration[] = [];
  private readonly inputs = new Map<string, Record<string, unknown>>();

  constructor(config: Record<string, string>, secretKeys?: string[]) {
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
    pulumi.runtime.setAllConfig(config, secretKeys);
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
            aliases: req.getAliasesList().map(describeAlias),
            provider: req.getProvider(),
            packageRef: req.getPackageref(),
            deletedWith: req.getDeletedwith(),
          });
        }
        callback(error, response);
      });
    const registerPackage = monitor.registerPackage.bind(monitor);
    monitor.registerPackage = (req, callback) =>
      registerPackage(req, (error, response) => {
        if (!error && response) {
          const p = req.getParameterization();
          this.packages.push({
            name: req.getName(),
            version: req.getVersion(),
            downloadUrl: req.getDownloadUrl(),
            ...(p ? { parameterization: { name: p.getName(), version: p.getVersion(), value: p.getValue_asU8() } } : {}),
            ref: response.getRef(),
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
