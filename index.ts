// The Pulumi program: read the stack's configuration, build the desired state
// from the content in Git, and register it. Invalid content stops here, before
// any resource is registered. See README.md and docs/.
import { deploy } from "./src/pulumi/program";

// Pulumi awaits the exported function; what it returns becomes the stack's outputs.
export = async () => (await deploy(__dirname)).summary;
