import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

import { policyDocument, Statement, trustPolicy } from "./iam";
import { SERVICE_TAG } from "./tags";

/** The latest Amazon Linux 2023 AMI (x86_64), as its public SSM parameter. */
export const AMAZON_LINUX_2023 = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

const SSM_IMAGE = /^resolve:ssm:(.+)$/;

/**
 * The AMI id a launch template gets. A `resolve:ssm:<parameter>` image is looked up now, at deploy time:
 * Auto Scaling cannot roll back an instance refresh to a launch template whose image is an SSM parameter
 * (RollbackInstanceRefresh, API reference), and a literal id makes a new image a visible change (a new
 * launch template version, rolled out by instance refresh). An id given as an output may still be one:
 * then rollback is turned off for it.
 */
function resolveImage(
    imageId: pulumi.Input<string>,
    opts: pulumi.InvokeOptions,
): { imageId: pulumi.Input<string>; autoRollback: pulumi.Input<boolean> } {
    if (typeof imageId === "string") {
        const parameter = SSM_IMAGE.exec(imageId)?.[1];
        // insecureValue: `value` is always marked secret, and an AMI id is not one.
        return parameter
            ? { imageId: aws.ssm.getParameterOutput({ name: parameter }, opts).insecureValue, autoRollback: true }
            : { imageId, autoRollback: true };
    }
    return { imageId, autoRollback: pulumi.output(imageId).apply((id) => !SSM_IMAGE.test(id)) };
}

/** An EC2 fleet in private subnets: security group, instance role, launch template and Auto Scaling group. */
export interface FleetArgs {
    vpcId: pulumi.Input<string>;
    /** One private subnet per AZ: the group spreads across all of them. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    instanceType: pulumi.Input<string>;
    imageId: pulumi.Input<string>;
    minSize: number;
    maxSize: number;
    /** The only inbound traffic allowed: a port from one security group (the load balancer's). */
    ingress?: { port: number; fromSecurityGroupId: pulumi.Input<string> };
    targetGroupArns?: pulumi.Input<string>[];
    /** ELB when behind a load balancer, so instances failing the target group's check are replaced. */
    healthCheckType: "ELB" | "EC2";
    healthCheckGracePeriodSeconds: number;
    /** Extra permissions of the instances. */
    statements?: pulumi.Input<Statement>[];
    userData?: pulumi.Input<string>;
}

export interface Fleet {
    securityGroup: aws.ec2.SecurityGroup;
    role: aws.iam.Role;
    launchTemplate: aws.ec2.LaunchTemplate;
    group: aws.autoscaling.Group;
}

export function createFleet(name: string, args: FleetArgs, parent: pulumi.Resource): Fleet {
    const opts = { parent };
    const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-instances`,
        {
            vpcId: args.vpcId,
            description: args.ingress ? `${name} instances: inbound only from the load balancer` : `${name} instances: no inbound traffic`,
            ingress: args.ingress
                ? [
                      {
                          protocol: "tcp",
                          fromPort: args.ingress.port,
                          toPort: args.ingress.port,
                          securityGroups: [args.ingress.fromSecurityGroupId],
                          description: "from load balancer",
                      },
                  ]
                : [],
            egress: [
                { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "data stores, AWS APIs through NAT" },
            ],
        },
        opts,
    );
    const role = new aws.iam.Role(`${name}-instance`, { assumeRolePolicy: trustPolicy("ec2.amazonaws.com") }, opts);
    new aws.iam.RolePolicyAttachment(
        `${name}-ssm`,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
        opts,
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-cloudwatch-agent`,
        { role: role.name, policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" },
        opts,
    );
    if (args.statements?.length) {
        new aws.iam.RolePolicy(`${name}-instance`, { role: role.id, policy: policyDocument(...args.statements) }, opts);
    }
    const profile = new aws.iam.InstanceProfile(`${name}-instance`, { role: role.name }, opts);
    const image = resolveImage(args.imageId, opts);
    const launchTemplate = new aws.ec2.LaunchTemplate(
        name,
        {
            imageId: image.imageId,
            instanceType: args.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            vpcSecurityGroupIds: [securityGroup.id],
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            monitoring: { enabled: true },
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
            ],
            userData: args.userData,
            updateDefaultVersion: true,
        },
        opts,
    );
    const group = new aws.autoscaling.Group(
        name,
        {
            vpcZoneIdentifiers: args.subnetIds,
            minSize: args.minSize,
            maxSize: args.maxSize,
            // No desiredCapacity: scaling policies own it; the group starts at minSize.
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            targetGroupArns: args.targetGroupArns,
            healthCheckType: args.healthCheckType,
            healthCheckGracePeriod: args.healthCheckGracePeriodSeconds,
            defaultInstanceWarmup: args.healthCheckGracePeriodSeconds,
            capacityRebalance: true,
            // Replace instances of an impaired AZ in the healthy ones.
            availabilityZoneDistribution: { capacityDistributionStrategy: "balanced-best-effort" },
            enabledMetrics: [
                "GroupInServiceInstances",
                "GroupDesiredCapacity",
                "GroupMinSize",
                "GroupMaxSize",
                "GroupPendingInstances",
                "GroupTerminatingInstances",
            ],
            metricsGranularity: "1Minute",
            // Rolling deploys: a new launch template version replaces instances while 90 % stay in service.
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: 90,
                    maxHealthyPercentage: 120,
                    instanceWarmup: String(args.healthCheckGracePeriodSeconds),
                    autoRollback: image.autoRollback,
                },
            },
            tags: [
                { key: "Name", value: name, propagateAtLaunch: true },
                { key: SERVICE_TAG, value: name, propagateAtLaunch: true },
            ],
        },
        opts,
    );
    return { securityGroup, role, launchTemplate, group };
}
