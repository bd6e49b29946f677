import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** A header and its secret value that a trusted front end (the API) adds to every request it forwards. */
export interface OriginHeaderArgs {
    /** Header name, lower case (WAF matches single headers by their lower-case name). */
    name: string;
    /** Secret value: whoever knows it is exempt from the rate rule. */
    value: pulumi.Input<string>;
}

/**
 * A regional web ACL with one rate-based rule: requests per client IP per 5-minute window. With a trusted
 * header, requests carrying it are not counted: behind API Gateway every API client arrives from API
 * Gateway's addresses, so counting them by IP would block the API as a whole under modest load; the API's
 * own web ACL limits those clients by their real address.
 */
export function rateLimitedWebAcl(
    name: string,
    args: { limitPer5Minutes: pulumi.Input<number>; associateWith: pulumi.Input<string>; trustedHeader?: OriginHeaderArgs },
    opts: pulumi.CustomResourceOptions,
): aws.wafv2.WebAcl {
    const exempt = args.trustedHeader && {
        notStatement: {
            statement: {
                byteMatchStatement: {
                    fieldToMatch: { singleHeader: { name: args.trustedHeader.name } },
                    positionalConstraint: "EXACTLY",
                    searchString: args.trustedHeader.value,
                    // WAF requires at least one text transformation.
                    textTransformations: [{ priority: 0, type: "NONE" }],
                },
            },
        },
    };
    const webAcl = new aws.wafv2.WebAcl(
        name,
        {
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: [
                {
                    name: "rate-limit-per-ip",
                    priority: 0,
                    action: { block: {} },
                    statement: {
                        rateBasedStatement: {
                            limit: args.limitPer5Minutes,
                            aggregateKeyType: "IP",
                            evaluationWindowSec: 300,
                            scopeDownStatement: exempt,
                        },
                    },
                    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: `${name}-rate-limit`, sampledRequestsEnabled: true },
                },
            ],
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
        },
        opts,
    );
    new aws.wafv2.WebAclAssociation(name, { resourceArn: args.associateWith, webAclArn: webAcl.arn }, opts);
    return webAcl;
}
