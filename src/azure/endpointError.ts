/**
 * An endpoint or cloud name that cannot be used (azure/target.ts). In a module of its own so
 * that the CLI can recognise it without loading the Azure SDK, which `validate` never needs.
 */
export class EndpointError extends Error {}
