import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The security group of a data store: one port, reachable only from the given security groups (the tier
 * that uses the store) — never from CIDR ranges.
 */
export function clientOnlySecurityGroup(
    name: string,
    args: { vpcId: pulumi.Input<string>; port: number; allowedSecurityGroupIds: pulumi.Input<string>[]; clients: string },
    opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
        name,
        {
            vpcId: args.vpcId,
            description: `${name}: only from the ${args.clients}`,
            ingress: [
                {
                    protocol: "tcp",
                    fromPort: args.port,
                    toPort: args.port,
                    securityGroups: args.allowedSecurityGroupIds,
                    description: args.clients,
                },
            ],
        },
        opts,
    );
}
