/**
 * Writes a Log Analytics saved search in place.
 *
 * Log Analytics refuses a PUT over an existing saved search unless it carries
 * the search's current etag (or `*`), and answers 409 otherwise
 * (docs/azure-behaviours.md §1). So an update reads the search, then PUTs with
 * the etag it read, as the az CLI (`saved-search update`) and PowerShell's
 * `Set-AzOperationalInsightsSavedSearch` do. A 409 or 412 means someone wrote
 * the search between the two requests: read and PUT again, a few times.
 * The search never stops existing, so rules that call a function never see it
 * missing.
 */
import type { SavedSearchProperties } from "../model/types";
import { deployClients, statusOf, writeError, type DeployClients, type WriteClientOptions } from "./deployClients";
import type { DeployConnection } from "./deployConnection";

export interface SavedSearchScope {
  resourceGroupName: string;
  workspaceName: string;
}

export interface LiveSavedSearch {
  /** Full ARM id. */
  id: string;
  etag?: string;
  properties: SavedSearchProperties;
}

/** Attempts of GET + PUT when the search keeps changing in between. */
export const SAVED_SEARCH_PUT_ATTEMPTS = 3;

function describe(scope: SavedSearchScope, savedSearchId: string): string {
  return `saved search '${savedSearchId}' of workspace '${scope.workspaceName}' (resource group '${scope.resourceGroupName}')`;
}

export class SavedSearchWriter {
  private readonly clients: DeployClients;

  constructor(connection: DeployConnection, options: WriteClientOptions = {}) {
    this.clients = deployClients(connection, options);
  }

  /** The search as Azure has it, or undefined when there is none. */
  async get(scope: SavedSearchScope, savedSearchId: string): Promise<LiveSavedSearch | undefined> {
    try {
      const found = await this.clients.logAnalytics.savedSearches.get(scope.resourceGroupName, scope.workspaceName, savedSearchId);
      return {
        id: found.id ?? "",
        ...(found.etag !== undefined ? { etag: found.etag } : {}),
        properties: {
          category: found.category,
          displayName: found.displayName,
          query: found.query,
          ...(found.functionAlias !== undefined ? { functionAlias: found.functionAlias } : {}),
          ...(found.functionParameters !== undefined ? { functionParameters: found.functionParameters } : {}),
          version: found.version ?? 2,
          ...(found.tags !== undefined && found.tags.length > 0 ? { tags: found.tags.map((t) => ({ name: t.name, value: t.value })) } : {}),
        },
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw writeError(`reading ${describe(scope, savedSearchId)}`, error);
    }
  }

  /** Creates the search, or replaces an existing one in place with its current etag. */
  async put(scope: SavedSearchScope, savedSearchId: string, properties: SavedSearchProperties): Promise<LiveSavedSearch> {
    const operation = `writing ${describe(scope, savedSearchId)}`;
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(scope, savedSearchId);
      try {
        const written = await this.clients.logAnalytics.savedSearches.createOrUpdate(
          scope.resourceGroupName,
          scope.workspaceName,
          savedSearchId,
          {
            ...properties,
            ...(current?.etag !== undefined ? { etag: current.etag } : {}),
          },
        );
        return { id: written.id ?? current?.id ?? "", ...(written.etag !== undefined ? { etag: written.etag } : {}), properties };
      } catch (error) {
        const status = statusOf(error);
        // Someone wrote the search between our read and our write: read its new etag and try again.
        if ((status === 409 || status === 412) && attempt < SAVED_SEARCH_PUT_ATTEMPTS) continue;
        throw writeError(operation, error);
      }
    }
  }

  /** Deletes the search; one that is already gone is fine. */
  async delete(scope: SavedSearchScope, savedSearchId: string): Promise<void> {
    try {
      await this.clients.logAnalytics.savedSearches.delete(scope.resourceGroupName, scope.workspaceName, savedSearchId);
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw writeError(`deleting ${describe(scope, savedSearchId)}`, error);
    }
  }
}
