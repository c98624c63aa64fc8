/**
 * What Azure fills in when an alert rule leaves a field out. Conversion writes
 * them out, so what we send is what a GET returns; the exporter leaves them
 * out again, so exported files read like hand-written ones.
 */
import { hours } from "./duration";

export const ALERT_RULE_DEFAULTS = {
  queryFrequency: hours(1),
  queryPeriod: hours(1),
  triggerThreshold: 0,
  suppressionDuration: hours(1),
  suppressionEnabled: false,
  aggregationKind: "SingleAlert",
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: {
      enabled: false,
      reopenClosedIncident: false,
      lookbackDuration: hours(5),
      matchingMethod: "AllEntities",
    },
  },
} as const;
