import * as pulumi from "@pulumi/pulumi";

/** IAM policy statements as plain JSON, so they read clearly in the plan and in policy checks. */
export interface Statement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource?: pulumi.Input<string> | pulumi.Input<string>[];
    Principal?: unknown;
    Condition?: Record<string, unknown>;
}

export function policyDocument(...statements: pulumi.Input<Statement>[]): pulumi.Output<string> {
    return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy that lets exactly one AWS service assume a role. */
export function trustPolicy(service: string): pulumi.Output<string> {
    return policyDocument({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
}
