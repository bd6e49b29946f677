/**
 * The contract between the stacks: what the primary exports for the DR stack. The primary's program is
 * type-checked against it and the DR stack checks every key before it creates anything.
 */
export const primaryOutputsForDr = [
    "region",
    "writerRegion",
    "alarmTopicArn",
    "globalClusterIdentifier",
    "databaseEngine",
    "databaseSecretArn",
    "bucketName",
    "bucketArn",
    "bucketKmsKeyArn",
    "tableName",
    "tableArn",
    "hostedZoneId",
    "recordName",
    "apiRecordName",
] as const;

/** One key of the contract. */
export type PrimaryOutputForDr = (typeof primaryOutputsForDr)[number];
/** The contract's values, as the DR stack reads them. */
export type PrimaryOutputs = Record<PrimaryOutputForDr, string>;

/** Secret output of the primary: the API key's value, when `api.apiKeyRequired` (both regions use the same key). */
export const API_KEY_OUTPUT = "apiKey";
