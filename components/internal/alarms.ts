import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** One CloudWatch alarm; every alarm a component owns goes through here so all notify the same way. */
export interface AlarmSpec {
    description: string;
    namespace?: string;
    metricName?: string;
    dimensions?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Sum, Average, Maximum...; or a percentile such as p90 (sent as extendedStatistic). */
    statistic?: string;
    metricQueries?: aws.cloudwatch.MetricAlarmArgs["metricQueries"];
    threshold: pulumi.Input<number>;
    comparison: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
    /** Default 60 s. */
    periodSeconds?: number;
    /** Default 3 periods, so one noisy minute does not page anyone. */
    evaluationPeriods?: number;
    /** Default notBreaching: no traffic is not an outage. */
    treatMissingData?: "notBreaching" | "breaching" | "missing" | "ignore";
    /** Scaling policies or other actions triggered besides the notification topic. */
    extraActions?: pulumi.Input<string>[];
    /** Region the metric lives in, when it is not the provider's (e.g. Route 53 metrics only in us-east-1). */
    region?: pulumi.Input<string>;
}

export function metricAlarm(
    name: string,
    spec: AlarmSpec,
    topicArn: pulumi.Input<string> | undefined,
    opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
    const percentile = spec.statistic?.startsWith("p");
    const notify = topicArn ? [topicArn] : [];
    return new aws.cloudwatch.MetricAlarm(
        name,
        {
            alarmDescription: spec.description,
            namespace: spec.namespace,
            metricName: spec.metricName,
            dimensions: spec.dimensions,
            statistic: spec.metricQueries || percentile ? undefined : (spec.statistic ?? "Average"),
            extendedStatistic: percentile ? spec.statistic : undefined,
            metricQueries: spec.metricQueries,
            period: spec.metricQueries ? undefined : (spec.periodSeconds ?? 60),
            evaluationPeriods: spec.evaluationPeriods ?? 3,
            threshold: spec.threshold,
            comparisonOperator: spec.comparison,
            treatMissingData: spec.treatMissingData ?? "notBreaching",
            alarmActions: [...notify, ...(spec.extraActions ?? [])],
            okActions: notify,
            region: spec.region,
        },
        opts,
    );
}
