/** The deploy connection a stack would build, signed in to a running stand-in with its service principal. */
import { deployConnection, type DeployConnection } from "../../src/azure/deployConnection";
import type { StandIn } from "../../stand-in/src/standIn";

export function standInConnection(standIn: StandIn, subscriptionId: string): Promise<DeployConnection> {
  const { tenantId, clientId, clientSecret } = standIn.credentials;
  const settings: Record<string, string> = { tenantId, clientId, clientSecret, subscriptionId };
  return deployConnection((key) => settings[key], {
    armEndpoint: standIn.armEndpoint,
    authorityHost: standIn.authorityHost,
    caPem: standIn.caPem,
  });
}
