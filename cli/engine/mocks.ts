/**
 * Realistic provider answers for the offline engine: ids, ARNs and endpoints shaped like the ones
 * AWS returns, so that programs which interpolate them (policies, exports, runbooks) see real-looking
 * values. Remote awsx components register as one resource under mocks, so their outputs come from here.
 */
import * as crypto from "crypto";

export const OFFLINE_ACCOUNT_ID = "123456789012";

type State = Record<string, unknown>;

export interface MockContext {
    /** Region the resource lives in (its `region` input, its provider's region or the stack's). */
    region: string;
    stack: string;
    /** The outputs of a resource registered earlier in the run, by its id (a subnet's AZ for an instance in it). */
    byId?: (id: string) => State | undefined;
}

/**
 * Answers to lookups the engine has no model of, by invoke token (`aws:ec2/getVpc:getVpc`): one result for
 * every call, or a list of `{ inputs, result }` where the first entry whose inputs the call's include answers.
 */
export type LookupAnswers = Record<string, State | { inputs?: State; result: State }[]>;

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
            availabilityZoneNames: azs,
            publicSubnetIds: subnetIds("public"),
            privateSubnetIds: subnetIds("private"),
            isolatedSubnetIds: [],
        };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
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

/**
 * EC2 resources whose id is `<prefix>-<hex>` (EC2 API reference, the `…Id` of each resource), and the ARN
 * resource type they have (`arn:aws:ec2:<region>:<account>:<resource>/<id>`), where they have one.
 */
const EC2_IDS: Record<string, [prefix: string, arnType?: string]> = {
    "aws:ec2/vpc:Vpc": ["vpc", "vpc"],
    "aws:ec2/subnet:Subnet": ["subnet", "subnet"],
    "aws:ec2/securityGroup:SecurityGroup": ["sg", "security-group"],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ["sgr", "security-group-rule"],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ["sgr", "security-group-rule"],
    "aws:ec2/securityGroupRule:SecurityGroupRule": ["sgrule"],
    "aws:ec2/internetGateway:InternetGateway": ["igw", "internet-gateway"],
    "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway": ["eigw", "egress-only-internet-gateway"],
    "aws:ec2/natGateway:NatGateway": ["nat", "natgateway"],
    "aws:ec2/eip:Eip": ["eipalloc", "elastic-ip"],
    "aws:ec2/routeTable:RouteTable": ["rtb", "route-table"],
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ["rtbassoc"],
    "aws:ec2/networkAcl:NetworkAcl": ["acl", "network-acl"],
    "aws:ec2/networkInterface:NetworkInterface": ["eni", "network-interface"],
    "aws:ec2/instance:Instance": ["i", "instance"],
    "aws:ec2/launchTemplate:LaunchTemplate": ["lt", "launch-template"],
    "aws:ec2/volume:Volume": ["vol", "volume"],
    "aws:ec2/keyPair:KeyPair": ["key", "key-pair"],
    "aws:ec2/vpcEndpoint:VpcEndpoint": ["vpce", "vpc-endpoint"],
    "aws:ec2/vpcPeeringConnection:VpcPeeringConnection": ["pcx", "vpc-peering-connection"],
    "aws:ec2/flowLog:FlowLog": ["fl", "vpc-flow-log"],
    "aws:ec2/placementGroup:PlacementGroup": ["pg", "placement-group"],
    "aws:ec2transitgateway/transitGateway:TransitGateway": ["tgw", "transit-gateway"],
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": ["tgw-attach", "transit-gateway-attachment"],
};

/** A private address in 10.0.0.0/8 derived from a seed (instances, ENIs). */
function privateIp(seed: string): string {
    const bytes = crypto.createHash("sha256").update(seed).digest();
    return `10.${bytes[0]}.${bytes[1]}.${(bytes[2] % 250) + 4}`;
}

/** What AWS returns for every EC2 resource of a type besides its id: the VPC's defaults, an instance's placement. */
function ec2Outputs(type: string, inputs: State, ctx: MockContext, hex: string): State {
    const seed = (kind: string) => hexId(`${hex}/${kind}`);
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            return {
                defaultSecurityGroupId: `sg-${seed("sg")}`,
                defaultNetworkAclId: `acl-${seed("acl")}`,
                defaultRouteTableId: `rtb-${seed("rtb")}`,
                mainRouteTableId: `rtb-${seed("rtb")}`,
                ownerId: OFFLINE_ACCOUNT_ID,
            };
        case "aws:ec2/subnet:Subnet": {
            // AWS fills in whichever of the AZ name and AZ id the request did not give.
            const zones = availabilityZones(ctx.region);
            const byId = typeof inputs.availabilityZoneId === "string" ? Number(/az(\d+)$/.exec(inputs.availabilityZoneId)?.[1]) - 1 : -1;
            const az = (inputs.availabilityZone as string | undefined) ?? zones[byId] ?? zones[0];
            return { availabilityZone: az, availabilityZoneId: inputs.availabilityZoneId ?? zoneIdOf(az), ownerId: OFFLINE_ACCOUNT_ID };
        }
        case "aws:ec2/instance:Instance": {
            const subnet = typeof inputs.subnetId === "string" ? ctx.byId?.(inputs.subnetId) : undefined;
            const az =
                (inputs.availabilityZone as string | undefined) ?? (subnet?.availabilityZone as string | undefined) ?? `${ctx.region}a`;
            const ip = String(inputs.privateIp ?? privateIp(hex));
            return {
                availabilityZone: az,
                privateIp: ip,
                privateDns: `ip-${ip.replace(/\./g, "-")}.${ctx.region}.compute.internal`,
                instanceState: "running",
                primaryNetworkInterfaceId: `eni-${seed("eni")}`,
            };
        }
        default:
            return {};
    }
}

/** An AZ's id from its name (`us-east-1b` → `use1-az2`), in the order {@link availabilityZones} lists them. */
function zoneIdOf(az: string): string {
    const region = az.slice(0, -1);
    return `${zoneIdPrefix(region)}-az${az.charCodeAt(az.length - 1) - 96}`;
}

/** The mock's answer for a resource registration: a stable id and state = inputs + typed outputs. */
export function mockResource(type: string, name: string, inputs: State, ctx: MockContext): { id: string; state: State } {
    const hex = hexId(`${ctx.stack}/${type}/${name}`);
    const physical = String(inputs.name ?? `${name}-${hex.slice(0, 7)}`);
    // Physical names the provider would auto-generate, and a generic ARN, for types with no entry above.
    const generic = type.startsWith("aws:")
        ? { name: physical, arn: arn(type.split(":")[1].split("/")[0], ctx.region, `${physical}/${hex}`) }
        : {};
    const ec2 = EC2_IDS[type];
    const shaped: State = ec2
        ? {
              id: `${ec2[0]}-${hex}`,
              ...(ec2[1] ? { arn: arn("ec2", ctx.region, `${ec2[1]}/${ec2[0]}-${hex}`) } : {}),
              ...ec2Outputs(type, inputs, ctx, hex),
          }
        : {};
    const typed = outputsByType[type]?.(physical, inputs, ctx, hex) ?? {};
    const id = String(typed.id ?? shaped.id ?? hex);
    return { id, state: { ...generic, ...inputs, ...shaped, ...typed, id } };
}

/**
 * Elastic Load Balancing's account per region, which must be allowed to write access logs to a bucket
 * (ELB user guide, "Enable access logs for your Application Load Balancer": regions available before August 2022).
 */
const ELB_ACCOUNTS: Record<string, string> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-central-1": "054676820928",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-northeast-1": "582318560864",
};

/** The default VPC of a region (172.31.0.0/16, a default subnet per AZ), as every account has it. */
export function defaultVpc(ctx: MockContext): { vpcId: string; subnetIds: string[]; zones: string[] } {
    const zones = availabilityZones(ctx.region);
    return {
        vpcId: `vpc-${hexId(`${ctx.region}/default-vpc`)}`,
        subnetIds: zones.map((az) => `subnet-${hexId(`${ctx.region}/default-vpc/${az}`)}`),
        zones,
    };
}

/** `aws.iam.getPolicyDocument`'s statements as the IAM JSON it renders. */
function policyJson(statements: State[] = []): string {
    const principals = (list: unknown) =>
        Array.isArray(list) && list.length
            ? Object.fromEntries(list.map((p: State) => [p.type === "*" ? "AWS" : p.type, p.identifiers]))
            : undefined;
    const conditions = (list: unknown) =>
        Array.isArray(list) && list.length
            ? list.reduce<Record<string, State>>((acc, c: State) => {
                  acc[String(c.test)] = { ...acc[String(c.test)], [String(c.variable)]: c.values };
                  return acc;
              }, {})
            : undefined;
    const statement = (s: State) =>
        Object.fromEntries(
            Object.entries({
                Sid: s.sid,
                Effect: s.effect ?? "Allow",
                Principal: principals(s.principals),
                NotPrincipal: principals(s.notPrincipals),
                Action: s.actions,
                NotAction: s.notActions,
                Resource: s.resources,
                NotResource: s.notResources,
                Condition: conditions(s.conditions),
            }).filter(([, v]) => v !== undefined),
        );
    return JSON.stringify({ Version: "2012-10-17", Statement: statements.map(statement) });
}

/** Lookups the engine answers itself, by token: plausible answers shaped like AWS's. */
const LOOKUPS: Record<string, (inputs: State, ctx: MockContext) => State> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_i, ctx) => {
        const names = availabilityZones(ctx.region);
        return { id: ctx.region, names, zoneIds: names.map(zoneIdOf), groupNames: [ctx.region] };
    },
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: OFFLINE_ACCOUNT_ID,
        accountId: OFFLINE_ACCOUNT_ID,
        arn: `arn:aws:iam::${OFFLINE_ACCOUNT_ID}:user/offline`,
        userId: "OFFLINE",
    }),
    "aws:index/getRegion:getRegion": (_i, ctx) => ({
        id: ctx.region,
        name: ctx.region,
        region: ctx.region,
        endpoint: `ec2.${ctx.region}.amazonaws.com`,
    }),
    "aws:index/getPartition:getPartition": () => ({
        id: "aws",
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        reverseDnsPrefix: "com.amazonaws",
    }),
    "aws:iam/getPolicyDocument:getPolicyDocument": (inputs) => ({
        id: "policy",
        json: policyJson(inputs.statements as State[] | undefined),
    }),
    "aws:ssm/getParameter:getParameter": (inputs, ctx) => {
        // Public image parameters (/aws/service/.../ami..., the ECS-optimized image id) hold an AMI id.
        const value = /ami|image_id/.test(String(inputs.name))
            ? `ami-${hexId(`${ctx.region}/${inputs.name}`)}`
            : `offline-${hexId(String(inputs.name), 8)}`;
        return {
            id: inputs.name,
            name: inputs.name,
            type: "String",
            value,
            insecureValue: value,
            version: 1,
            arn: arn("ssm", ctx.region, `parameter${inputs.name}`),
        };
    },
    "aws:ec2/getAmi:getAmi": (inputs, ctx) => {
        const id = `ami-${hexId(`${ctx.region}/${JSON.stringify(inputs.filters ?? inputs.nameRegex ?? "")}`)}`;
        return { id, imageId: id, name: "offline-image", architecture: "x86_64", rootDeviceName: "/dev/xvda", ownerId: "137112412989" };
    },
    "aws:ec2/getAmiIds:getAmiIds": (inputs, ctx) => ({
        id: ctx.region,
        ids: [`ami-${hexId(`${ctx.region}/${JSON.stringify(inputs.filters ?? "")}`)}`],
    }),
    "aws:ec2/getVpc:getVpc": (inputs, ctx) => {
        const vpc = defaultVpc(ctx);
        const id = typeof inputs.id === "string" ? inputs.id : vpc.vpcId;
        return {
            id,
            cidrBlock: "172.31.0.0/16",
            default: id === vpc.vpcId,
            arn: arn("ec2", ctx.region, `vpc/${id}`),
            ownerId: OFFLINE_ACCOUNT_ID,
        };
    },
    "aws:ec2/getSubnets:getSubnets": (_i, ctx) => ({ id: ctx.region, ids: defaultVpc(ctx).subnetIds }),
    "aws:ec2/getSubnet:getSubnet": (inputs, ctx) => {
        const vpc = defaultVpc(ctx);
        const index = Math.max(0, vpc.subnetIds.indexOf(String(inputs.id)));
        const az = vpc.zones[index];
        return {
            id: inputs.id ?? vpc.subnetIds[index],
            vpcId: vpc.vpcId,
            availabilityZone: az,
            availabilityZoneId: zoneIdOf(az),
            cidrBlock: `172.31.${index * 16}.0/20`,
            defaultForAz: true,
        };
    },
    "aws:elb/getServiceAccount:getServiceAccount": (inputs, ctx) => {
        const account = ELB_ACCOUNTS[String(inputs.region ?? ctx.region)] ?? "127311923021";
        return { id: account, arn: `arn:aws:iam::${account}:root` };
    },
    "aws:route53/getZone:getZone": (inputs) => {
        const name = String(inputs.name ?? "example.com").replace(/\.$/, "");
        const zoneId = String(inputs.zoneId ?? `Z${hexId(name, 13).toUpperCase()}`);
        return { id: zoneId, zoneId, name, arn: `arn:aws:route53:::hostedzone/${zoneId}`, privateZone: inputs.privateZone ?? false };
    },
    "aws:acm/getCertificate:getCertificate": (inputs, ctx) => {
        const certificate = arn("acm", ctx.region, `certificate/${hexId(String(inputs.domain), 8)}-offline`);
        return { id: certificate, arn: certificate, domain: inputs.domain, status: "ISSUED" };
    },
    // awsx's own lookup: the default VPC with its subnets (awsx.ec2.DefaultVpc).
    "awsx:ec2:getDefaultVpc": (_i, ctx) => {
        const vpc = defaultVpc(ctx);
        return { vpcId: vpc.vpcId, publicSubnetIds: vpc.subnetIds, privateSubnetIds: [] };
    },
};

/** Whether every key of `expected` has an equal value in `actual` (JSON equality). */
const includes = (actual: State, expected: State = {}) =>
    Object.entries(expected).every(([k, v]) => JSON.stringify(actual[k]) === JSON.stringify(v));

/**
 * The mock's answer for provider functions (invokes): the user's answer if there is one, else the engine's;
 * a lookup with neither is an error naming it, since an empty answer would only fail later, somewhere else.
 */
export function mockCall(token: string, inputs: State, ctx: MockContext, answers: LookupAnswers = {}): State {
    const answer = answers[token];
    if (Array.isArray(answer)) {
        const match = answer.find((a) => includes(inputs, a.inputs));
        if (match) return match.result;
    } else if (answer) return answer;
    const lookup = LOOKUPS[token];
    if (lookup) return lookup(inputs, ctx);
    throw new Error(
        `no offline answer for this lookup (inputs ${JSON.stringify(inputs)}): give one in a --lookups file, ` +
            `{ "${token}": { ...result } } or a list of { "inputs": {...}, "result": {...} }`,
    );
}
