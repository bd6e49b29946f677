/**
 * Realistic provider answers for the offline engine: ids, ARNs and endpoints shaped like the ones
 * AWS returns, so that programs which interpolate them (policies, exports, runbooks) see real-looking
 * values. Remote awsx components register as one resource under mocks, so their outputs come from here.
 */
import * as crypto from "crypto";

export const OFFLINE_ACCOUNT_ID = "123456789012";

export interface MockContext {
    /** Region the resource lives in (its `region` input, its provider's region or the stack's). */
    region: string;
    stack: string;
}

/** Deterministic short hex id derived from the resource's identity, so runs are reproducible. */
function hexId(seed: string, length = 17): string {
    return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function arn(service: string, region: string, resource: string, global = false): string {
    return `arn:aws:${service}:${global ? "" : region}:${OFFLINE_ACCOUNT_ID}:${resource}`;
}

/**
 * Availability Zones (outside Local Zones) of the regions whose count is not 3, as AWS lists them for new
 * accounts ("AWS Availability Zones", AWS Global Infrastructure documentation); every other region has 3.
 */
const AZ_COUNTS: Record<string, number> = {
    "us-east-1": 6,
    "us-west-1": 2,
    "us-west-2": 4,
    "ap-northeast-1": 3,
    "ap-northeast-2": 4,
    "ca-central-1": 3,
    "sa-east-1": 3,
};

/** The prefix of a region's AZ ids: `use1` for us-east-1, `apne1` for ap-northeast-1. */
function zoneIdPrefix(region: string): string {
    const [area, direction = "", number = ""] = region.split("-");
    const short = direction
        .replace(/north/g, "n")
        .replace(/south/g, "s")
        .replace(/east/g, "e")
        .replace(/west/g, "w")
        .replace(/central/g, "c");
    return `${area}${short}${number}`;
}

/** AZ names of a region (the first `count`, or all of them): the offline model of `aws.getAvailabilityZones`. */
export function availabilityZones(region: string, count = AZ_COUNTS[region] ?? 3): string[] {
    return ["a", "b", "c", "d", "e", "f"].slice(0, Math.min(count, AZ_COUNTS[region] ?? 3)).map((suffix) => `${region}${suffix}`);
}

type State = Record<string, unknown>;

/** Route 53 hosted zones of API Gateway's regional endpoints (alias targets), by region. */
const API_GATEWAY_ZONES: Record<string, string> = {
    "us-east-1": "Z1UJRXOUMOOFQ8",
    "us-west-2": "Z2OJLYMUO9EFXC",
    "eu-west-1": "ZLY8HYME6SFDD",
};

/**
 * Outputs per resource type, merged over the inputs (AWS echoes inputs back as state). `physical` is the
 * resource's physical name: its explicit name input or the `<name>-<7 hex>` the provider would generate.
 * An `id` in the result is the provider's id for that type (a name, URL or ARN) instead of the hex default.
 */
const outputsByType: Record<string, (physical: string, inputs: State, ctx: MockContext, id: string) => State> = {
    "awsx:ec2:Vpc": (physical, inputs, ctx, id) => {
        const azCount = Number(inputs.numberOfAvailabilityZones ?? 3);
        const azs = (inputs.availabilityZoneNames as string[] | undefined) ?? availabilityZones(ctx.region, azCount);
        const subnetIds = (kind: string) => azs.map((az) => `subnet-${hexId(`${ctx.stack}/${physical}/${kind}/${az}`)}`);
        return {
            vpcId: `vpc-${id}`,
            publicSubnetIds: subnetIds("public"),
            privateSubnetIds: subnetIds("private"),
            isolatedSubnetIds: [],
        };
    },
    "aws:ec2/securityGroup:SecurityGroup": (_p, _i, _c, id) => ({ id: `sg-${id}` }),
    "aws:ec2/launchTemplate:LaunchTemplate": (_p, _i, _c, id) => ({ id: `lt-${id}`, latestVersion: 1 }),
    "aws:lb/loadBalancer:LoadBalancer": (physical, inputs, ctx, id) => {
        const lbArn = arn("elasticloadbalancing", ctx.region, `loadbalancer/app/${physical}/${id}`);
        return {
            id: lbArn,
            arn: lbArn,
            dnsName: `${physical}-${id.slice(0, 8)}.${ctx.region}.elb.amazonaws.com`,
            zoneId: "Z35SXDOTRQ7X7K",
            arnSuffix: `app/${physical}/${id}`,
            internal: inputs.internal ?? false,
        };
    },
    "aws:lb/targetGroup:TargetGroup": (physical, _i, ctx, id) => {
        const tgArn = arn("elasticloadbalancing", ctx.region, `targetgroup/${physical}/${id}`);
        return { id: tgArn, arn: tgArn, arnSuffix: `targetgroup/${physical}/${id}` };
    },
    "aws:sqs/queue:Queue": (physical, _i, ctx) => {
        const url = `https://sqs.${ctx.region}.amazonaws.com/${OFFLINE_ACCOUNT_ID}/${physical}`;
        return { id: url, url, arn: arn("sqs", ctx.region, physical) };
    },
    "aws:apigateway/restApi:RestApi": (_p, _i, ctx, id) => ({
        id: id.slice(0, 10),
        rootResourceId: hexId(`${id}/root`, 10),
        executionArn: arn("execute-api", ctx.region, id.slice(0, 10)),
    }),
    "aws:apigateway/stage:Stage": (_p, inputs, ctx) => ({
        invokeUrl: `https://${String(inputs.restApi)}.execute-api.${ctx.region}.amazonaws.com/${String(inputs.stageName)}`,
        arn: `arn:aws:apigateway:${ctx.region}::/restapis/${String(inputs.restApi)}/stages/${String(inputs.stageName)}`,
    }),
    "aws:elasticache/replicationGroup:ReplicationGroup": (physical, inputs, ctx) => {
        const rg = String(inputs.replicationGroupId ?? physical);
        const host = `${rg}.abc123.${ctx.region.replace(/-/g, "")}.cache.amazonaws.com`;
        return { id: rg, replicationGroupId: rg, primaryEndpointAddress: `master.${host}`, readerEndpointAddress: `replica.${host}` };
    },
    "aws:rds/cluster:Cluster": (physical, inputs, ctx) => {
        const cluster = String(inputs.clusterIdentifier ?? physical);
        return {
            id: cluster,
            clusterIdentifier: cluster,
            arn: arn("rds", ctx.region, `cluster:${cluster}`),
            endpoint: `${cluster}.cluster-abc123.${ctx.region}.rds.amazonaws.com`,
            readerEndpoint: `${cluster}.cluster-ro-abc123.${ctx.region}.rds.amazonaws.com`,
        };
    },
    "aws:rds/clusterInstance:ClusterInstance": (physical, inputs, ctx) => {
        const instance = String(inputs.identifier ?? physical);
        return { id: instance, identifier: instance, endpoint: `${instance}.abc123.${ctx.region}.rds.amazonaws.com` };
    },
    "aws:rds/globalCluster:GlobalCluster": (physical, inputs, _c, id) => {
        const globalCluster = String(inputs.globalClusterIdentifier ?? physical);
        return {
            id: globalCluster,
            arn: `arn:aws:rds::${OFFLINE_ACCOUNT_ID}:global-cluster:${globalCluster}`,
            // The global writer endpoint, which follows the writer.
            endpoint: `${globalCluster}.global-${id.slice(0, 10)}.global.rds.amazonaws.com`,
            engineVersionActual: inputs.engineVersion,
        };
    },
    "aws:apigateway/domainName:DomainName": (_p, inputs, ctx, id) => ({
        id: String(inputs.domainName),
        regionalDomainName: `d-${id.slice(0, 10)}.execute-api.${ctx.region}.amazonaws.com`,
        regionalZoneId: API_GATEWAY_ZONES[ctx.region] ?? "Z1UJRXOUMOOFQ8",
        arn: `arn:aws:apigateway:${ctx.region}::/domainnames/${String(inputs.domainName)}`,
    }),
    "random:index/randomPassword:RandomPassword": (_p, inputs, _c, id) => ({ result: id.repeat(8).slice(0, Number(inputs.length ?? 16)) }),
    "aws:kms/key:Key": (_p, _i, ctx, id) => ({ keyId: id, arn: arn("kms", ctx.region, `key/${id}`) }),
    "aws:s3/bucket:Bucket": (physical, inputs, ctx) => {
        const bucket = String(inputs.bucket ?? physical);
        return {
            id: bucket,
            bucket,
            arn: `arn:aws:s3:::${bucket}`,
            bucketRegionalDomainName: `${bucket}.s3.${ctx.region}.amazonaws.com`,
            region: ctx.region,
        };
    },
    "aws:dynamodb/table:Table": (physical, inputs, ctx) => {
        const tableArn = arn("dynamodb", ctx.region, `table/${physical}`);
        const label = "2026-01-01T00:00:00.000";
        return {
            id: physical,
            arn: tableArn,
            streamArn: inputs.streamEnabled ? `${tableArn}/stream/${label}` : undefined,
            streamLabel: inputs.streamEnabled ? label : undefined,
        };
    },
    // The replica is the same table name in the replica's region.
    "aws:dynamodb/tableReplica:TableReplica": (_p, inputs, ctx) => ({
        arn: String(inputs.globalTableArn).replace(/:dynamodb:[^:]+:/, `:dynamodb:${ctx.region}:`),
    }),
    "aws:route53/zone:Zone": (_p, _i, _c, id) => ({
        zoneId: `Z${id.toUpperCase().slice(0, 13)}`,
        nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net"],
    }),
    "aws:route53/record:Record": (_p, inputs) => ({ fqdn: inputs.name }),
    "aws:sns/topic:Topic": (physical, _i, ctx) => ({ id: arn("sns", ctx.region, physical), arn: arn("sns", ctx.region, physical) }),
    "aws:cloudwatch/logGroup:LogGroup": (physical, _i, ctx) => ({ id: physical, arn: arn("logs", ctx.region, `log-group:${physical}`) }),
    "aws:secretsmanager/secret:Secret": (physical, _i, ctx, id) => {
        const secretArn = arn("secretsmanager", ctx.region, `secret:${physical}-${id.slice(0, 6)}`);
        return { id: secretArn, arn: secretArn };
    },
    "aws:iam/role:Role": (physical) => ({ id: physical, arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:role/${physical}` }),
    "aws:iam/instanceProfile:InstanceProfile": (physical) => ({
        id: physical,
        arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:instance-profile/${physical}`,
    }),
};

/** The mock's answer for a resource registration: a stable id and state = inputs + typed outputs. */
export function mockResource(type: string, name: string, inputs: State, ctx: MockContext): { id: string; state: State } {
    const hex = hexId(`${ctx.stack}/${type}/${name}`);
    const physical = String(inputs.name ?? `${name}-${hex.slice(0, 7)}`);
    // Physical names the provider would auto-generate, and a generic ARN, for types with no entry above.
    const generic = type.startsWith("aws:")
        ? { name: physical, arn: arn(type.split(":")[1].split("/")[0], ctx.region, `${physical}/${hex}`) }
        : {};
    const typed = outputsByType[type]?.(physical, inputs, ctx, hex) ?? {};
    return { id: String(typed.id ?? hex), state: { ...generic, ...inputs, ...typed } };
}

/** The mock's answer for provider functions (invokes). */
export function mockCall(token: string, inputs: State, ctx: MockContext): State {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = availabilityZones(ctx.region);
            return { names, zoneIds: names.map((_, i) => `${zoneIdPrefix(ctx.region)}-az${i + 1}`) };
        }
        case "aws:ssm/getParameter:getParameter": {
            // Public AMI parameters (/aws/service/...ami...) hold an image id.
            const value = /ami/.test(String(inputs.name))
                ? `ami-${hexId(`${ctx.region}/${inputs.name}`)}`
                : `offline-${hexId(String(inputs.name), 8)}`;
            return {
                name: inputs.name,
                type: "String",
                value,
                insecureValue: value,
                version: 1,
                arn: arn("ssm", ctx.region, `parameter${inputs.name}`),
            };
        }
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: OFFLINE_ACCOUNT_ID, arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/offline`, userId: "OFFLINE" };
        case "aws:index/getRegion:getRegion":
            return { name: ctx.region, region: ctx.region, id: ctx.region };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com" };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { json: JSON.stringify({ Version: "2012-10-17", Statement: inputs.statements ?? [] }) };
        default:
            return {};
    }
}
