/**
 * The contract between the stacks: what the primary exports for the DR stack. The primary's program is
 * type-checked against it and the DR stack checks every key before it creates anything.
 */
export const primaryOutputsForDr = [
    "region",
    "alarmTopicArn",
    "globalClusterIdentifier",
    "databaseEngine",
    "databaseEngineVersion",
    "databaseSecretArn",
    "bucketName",
    "bucketArn",
    "bucketKmsKeyArn",
    "tableName",
    "tableArn",
    "hostedZoneId",
    "recordName",
] as const;

export type PrimaryOutputForDr = (typeof primaryOutputsForDr)[number];
export type PrimaryOutputs = Record<PrimaryOutputForDr, string>;
