import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

import { policyDocument, trustPolicy } from "./internal/iam";
import { componentIdentity } from "./internal/identity";
import { NETWORK_TAG } from "./internal/tags";

/** Defaults of `NetworkArgs`, applied by the component; the stack config starts from them too. */
export const networkDefaults = {
    cidrBlock: "10.0.0.0/16",
    availabilityZoneCount: 3,
    flowLogRetentionDays: 90,
} as const;

/** Arguments of {@link Network}. */
export interface NetworkArgs {
    /** IPv4 range of the VPC. Default `10.0.0.0/16`. */
    cidrBlock?: string;
    /**
     * Number of Availability Zones, each with a public and a private subnet and its own NAT gateway: 2 to 6,
     * and a plain number, as the subnet layout is decided at plan time. Default `3`.
     */
    availabilityZoneCount?: number;
    /** Days the VPC flow logs are kept in CloudWatch Logs. Default `90`. */
    flowLogRetentionDays?: pulumi.Input<number>;
}

/**
 * A VPC spread over several AZs: public subnets for load balancers, private subnets for instances and data
 * stores, one NAT gateway per AZ (a shared NAT would make one AZ a single point of failure for the others'
 * egress), and VPC flow logs of all traffic.
 *
 * @example
 * ```ts
 * const network = new Network("network", { availabilityZoneCount: 3 });
 * export const privateSubnetIds = network.privateSubnetIds;
 * ```
 */
export class Network extends pulumi.ComponentResource {
    /** Id of the VPC. */
    readonly vpcId: pulumi.Output<string>;
    /** Public subnets, one per AZ, for load balancers. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private subnets, one per AZ, for instances and data stores. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** The AZs the subnets are in, in subnet order (the first `availabilityZoneCount` available AZs). */
    readonly availabilityZoneNames: pulumi.Output<string[]>;
    /** Number of AZs the network spans. */
    readonly availabilityZoneCount: number;
    /** CloudWatch log group of the VPC flow logs. */
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const defaults = networkDefaults;
        const azCount = args.availabilityZoneCount ?? defaults.availabilityZoneCount;
        if (!Number.isInteger(azCount) || azCount < 2 || azCount > 6) {
            throw new Error(`Network ${name}: availabilityZoneCount must be an integer from 2 to 6 (got ${azCount})`);
        }
        super(...componentIdentity("Network", "ha:network:Network", name, opts));
        const parent = { parent: this };

        const vpc = new awsx.ec2.Vpc(
            name,
            {
                cidrBlock: args.cidrBlock ?? defaults.cidrBlock,
                numberOfAvailabilityZones: azCount,
                natGateways: { strategy: awsx.ec2.NatGatewayStrategy.OnePerAz },
                subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
                // The tag lets drills (FIS) select this network's subnets, and scopes what they may touch.
                subnetSpecs: [
                    { type: awsx.ec2.SubnetType.Public, cidrMask: 22, tags: { [NETWORK_TAG]: name } },
                    { type: awsx.ec2.SubnetType.Private, cidrMask: 19, tags: { [NETWORK_TAG]: name } },
                ],
                enableDnsHostnames: true,
                enableDnsSupport: true,
            },
            parent,
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            { retentionInDays: args.flowLogRetentionDays ?? defaults.flowLogRetentionDays },
            parent,
        );
        const role = new aws.iam.Role(`${name}-flow-logs`, { assumeRolePolicy: trustPolicy("vpc-flow-logs.amazonaws.com") }, parent);
        new aws.iam.RolePolicy(
            `${name}-flow-logs`,
            {
                role: role.id,
                policy: policyDocument({
                    Effect: "Allow",
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"],
                    Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
                }),
            },
            parent,
        );
        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId: vpc.vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            },
            parent,
        );

        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.availabilityZoneCount = azCount;
        this.availabilityZoneNames = aws
            .getAvailabilityZonesOutput({ state: "available" }, parent)
            .names.apply((names) => names.slice(0, azCount));
        this.flowLogGroupName = logGroup.name;
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            availabilityZoneNames: this.availabilityZoneNames,
        });
    }
}
