/**
 * Multi-language components whose children the offline engine models. Under the Pulumi CLI a remote component's
 * provider creates its children, and policies judge those; under mocks the component registers as one resource
 * and its inside is invisible. For the well-known ones the engine creates the children the provider would, from
 * the component's inputs and the provider's own defaults, so every rule, the failure simulation and the model see
 * what the CLI would — and a finding lands on the same child a deployment would report. Sources: pulumi-awsx
 * `awsx/lb/applicationLoadBalancer.ts`, `awsx/ecs/fargateService.ts`, `awsx/ecs/ec2Service.ts`; pulumi-aws-apigateway
 * `RestAPI` (RestApi, Deployment and Stage, stage name `stage`); awsx.ec2.Vpc as its docs state it (a public and a
 * private subnet per AZ, the first 3 AZs, NAT gateways "one per availability zone" when both kinds exist).
 */
import { defaultVpc, MockContext, mockResource } from "./mocks";

type State = Record<string, any>;

/** A child the component's provider would create: its type, name, inputs and the mock's answer for it. */
export interface ModeledChild {
    type: string;
    name: string;
    id: string;
    inputs: State;
    outputs: State;
    /** Input property → the sibling children its value comes from (their {@link childKey}s). */
    from: Record<string, string[]>;
}

/** A child's key among its siblings: `type::name` (a security group and a load balancer may share a name). */
export const childKey = (child: Pick<ModeledChild, "type" | "name">) => `${child.type}::${child.name}`;

/** A modeled component: its children and the outputs the component returns (references to them, as plain values). */
export interface ComponentModel {
    children: ModeledChild[];
    outputs: State;
}

/** The children of each well-known remote component, by type token. */
const MODELS: Record<string, (name: string, inputs: State, ctx: MockContext) => ComponentModel> = {
    "awsx:ec2:Vpc": vpc,
    // A lookup as a component: the default VPC and its subnets, nothing created.
    "awsx:ec2:DefaultVpc": (_name, _inputs, ctx) => {
        const found = defaultVpc(ctx);
        return { children: [], outputs: { vpcId: found.vpcId, publicSubnetIds: found.subnetIds, privateSubnetIds: [] } };
    },
    "awsx:lb:ApplicationLoadBalancer": applicationLoadBalancer,
    "awsx:ecs:FargateService": (name, inputs, ctx) => ecsService(name, inputs, ctx, "FARGATE"),
    "awsx:ecs:EC2Service": (name, inputs, ctx) => ecsService(name, inputs, ctx, "EC2"),
    "aws-apigateway:index:RestAPI": restApi,
};

/** Whether the engine models the children of a component type. */
export const isModeledComponent = (type: string) => type in MODELS;

/** The children the component's provider would create, or undefined for a component the engine does not model. */
export function modelComponent(type: string, name: string, inputs: State, ctx: MockContext): ComponentModel | undefined {
    return MODELS[type]?.(name, inputs, ctx);
}

/** Builds the children one by one, each answered by the mocks as if registered. */
function builder(ctx: MockContext) {
    const children: ModeledChild[] = [];
    const add = (type: string, name: string, inputs: State, from: Record<string, string[]> = {}, fixedId?: string): ModeledChild => {
        const mocked = mockResource(type, name, inputs, ctx);
        // An id the component's own outputs already name (awsx.ec2.Vpc's subnet ids) stays that id.
        const id = fixedId ?? mocked.id;
        const child = { type, name, id, inputs, outputs: { ...mocked.state, id }, from };
        children.push(child);
        return child;
    };
    return { children, add };
}

/**
 * awsx.ec2.Vpc: the VPC, an internet gateway, a public and a private subnet per AZ (the ids the component's outputs
 * name), and NAT gateways in public subnets: one per AZ by default, one with strategy `Single`, none with `None`.
 */
function vpc(name: string, inputs: State, ctx: MockContext): ComponentModel {
    const { children, add } = builder(ctx);
    const outputs = mockResource("awsx:ec2:Vpc", name, inputs, ctx).state;
    const network = add(
        "aws:ec2/vpc:Vpc",
        name,
        { cidrBlock: inputs.cidrBlock ?? "10.0.0.0/16", enableDnsHostnames: inputs.enableDnsHostnames ?? true },
        {},
        String(outputs.vpcId),
    );
    const from = { vpcId: [childKey(network)] };
    add("aws:ec2/internetGateway:InternetGateway", name, { vpcId: network.id }, from);
    const zones: string[] = outputs.availabilityZoneNames as string[];
    const subnetsOf = (kind: "public" | "private", ids: string[]) =>
        ids.map((id, i) =>
            add(
                "aws:ec2/subnet:Subnet",
                `${name}-${kind}-${i + 1}`,
                { vpcId: network.id, availabilityZone: zones[i], mapPublicIpOnLaunch: kind === "public" },
                from,
                id,
            ),
        );
    const publics = subnetsOf("public", outputs.publicSubnetIds as string[]);
    subnetsOf("private", outputs.privateSubnetIds as string[]);
    const strategy = inputs.natGateways?.strategy ?? "OnePerAz";
    const natSubnets =
        strategy === "None" || !(outputs.privateSubnetIds as string[]).length ? [] : strategy === "Single" ? publics.slice(0, 1) : publics;
    natSubnets.forEach((subnet, i) => {
        const ip = add("aws:ec2/eip:Eip", `${name}-${i + 1}`, { domain: "vpc" });
        add(
            "aws:ec2/natGateway:NatGateway",
            `${name}-${i + 1}`,
            { subnetId: subnet.id, allocationId: ip.id },
            { subnetId: [childKey(subnet)], allocationId: [childKey(ip)] },
        );
    });
    return { children, outputs };
}

/** awsx.lb.ApplicationLoadBalancer: a security group unless given, the load balancer, an `ip` target group and listener(s). */
function applicationLoadBalancer(name: string, inputs: State, ctx: MockContext): ComponentModel {
    const { subnetIds, subnets, defaultTargetGroup, defaultSecurityGroup, listener, listeners, ...lbArgs } = inputs;
    const { children, add } = builder(ctx);
    const lbInputs: State = { ...lbArgs, loadBalancerType: lbArgs.loadBalancerType ?? "application" };
    // awsx refuses a load balancer without subnets: one of subnets, subnetIds or subnetMappings.
    if (subnets) lbInputs.subnets = (subnets as State[]).map((s) => s?.id ?? s);
    else if (subnetIds) lbInputs.subnets = subnetIds;
    else if (!lbArgs.subnetMappings) throw new Error("One of [subnets], [subnetIds] or [subnetMappings] must be specified");
    let securityGroup: ModeledChild | undefined;
    if (!lbInputs.securityGroups && !defaultSecurityGroup?.skip) {
        if (defaultSecurityGroup?.securityGroupId) lbInputs.securityGroups = [defaultSecurityGroup.securityGroupId];
        else {
            securityGroup = add("aws:ec2/securityGroup:SecurityGroup", name, defaultSecurityGroup?.args ?? {});
            lbInputs.securityGroups = [securityGroup.id];
        }
    }
    const lb = add("aws:lb/loadBalancer:LoadBalancer", name, lbInputs, securityGroup ? { securityGroups: [childKey(securityGroup)] } : {});
    const protocol = listenerProtocol(listeners ? (listeners.length === 1 ? undefined : listeners[0]) : listener);
    // awsx takes the target group's VPC from the first subnet.
    const firstSubnet = subnets?.[0] ?? (subnetIds ?? lbArgs.subnetMappings?.map((m: State) => m.subnetId))?.[0];
    const vpcId = firstSubnet?.vpcId ?? (typeof firstSubnet === "string" ? ctx.byId?.(firstSubnet)?.vpcId : undefined);
    const targetGroup = add("aws:lb/targetGroup:TargetGroup", name, { vpcId, targetType: "ip", ...protocol, ...defaultTargetGroup });
    const defaultActions = [{ type: "forward", targetGroupArn: targetGroup.outputs.arn }];
    const listenerArgs: State[] = listener ? [listener] : (listeners ?? [{}]);
    listenerArgs.forEach((args, i) =>
        add(
            "aws:lb/listener:Listener",
            `${name}-${i}`,
            {
                defaultActions,
                ...(args === listener || !listeners ? protocol : listenerProtocol(args)),
                ...args,
                loadBalancerArn: lb.outputs.arn,
            },
            { defaultActions: [childKey(targetGroup)], loadBalancerArn: [childKey(lb)] },
        ),
    );
    return {
        children,
        outputs: {
            loadBalancer: lb.outputs,
            defaultTargetGroup: targetGroup.outputs,
            defaultSecurityGroup: securityGroup?.outputs,
            vpcId,
        },
    };
}

/** awsx's listener port and protocol: given, derived from each other (443 ⇔ HTTPS), else 80/HTTP. */
function listenerProtocol(listener: State | undefined): { port: number; protocol: string } {
    if (listener?.port && listener?.protocol) return { port: listener.port, protocol: listener.protocol };
    if (listener?.port) return { port: listener.port, protocol: listener.port === 443 ? "HTTPS" : "HTTP" };
    if (listener?.protocol) return { protocol: listener.protocol, port: listener.protocol === "HTTPS" ? 443 : 80 };
    return { port: 80, protocol: "HTTP" };
}

/** Target groups a task definition's containers name in their port mappings, as awsx turns them into `loadBalancers`. */
function containerLoadBalancers(taskDefinitionArgs: State | undefined): State[] {
    const containers: [string, State][] = taskDefinitionArgs?.container
        ? [[taskDefinitionArgs.container.name ?? "container", taskDefinitionArgs.container]]
        : Object.entries(taskDefinitionArgs?.containers ?? {});
    return containers.flatMap(([containerName, c]) =>
        (c.portMappings ?? [])
            .filter((m: State) => m.targetGroup)
            .map((m: State) => ({
                targetGroupArn: m.targetGroup.arn ?? m.targetGroup,
                containerName: c.name ?? containerName,
                containerPort: m.containerPort ?? m.targetGroup.port,
            })),
    );
}

/** awsx.ecs.FargateService / EC2Service: the task definition (when given as args), a security group for the default network, the service. */
function ecsService(name: string, inputs: State, ctx: MockContext, launchType: "FARGATE" | "EC2"): ComponentModel {
    const { taskDefinitionArgs, assignPublicIp, continueBeforeSteadyState, ...serviceArgs } = inputs;
    const { children, add } = builder(ctx);
    let taskDefinition = inputs.taskDefinition;
    let definition: ModeledChild | undefined;
    if (taskDefinitionArgs) {
        const { container, containers, ...definitionArgs } = taskDefinitionArgs;
        definition = add("aws:ecs/taskDefinition:TaskDefinition", name, {
            ...definitionArgs,
            family: definitionArgs.family ?? name,
            containerDefinitions: JSON.stringify(container ? [container] : Object.values(containers ?? {})),
            requiresCompatibilities: [launchType],
            networkMode: definitionArgs.networkMode ?? (launchType === "FARGATE" ? "awsvpc" : undefined),
        });
        taskDefinition = definition.outputs.arn;
    }
    let networkConfiguration = inputs.networkConfiguration;
    if (!networkConfiguration && launchType === "FARGATE") {
        // awsx's default: the default VPC's private subnets, or its public ones with assignPublicIp. Default VPCs
        // have only public subnets, so without assignPublicIp awsx refuses (its own message).
        if (assignPublicIp !== true)
            throw new Error(
                "The default VPC does not have any private subnets. Set `assignPublicIp` to `true`, provide `networkConfiguration`, or add private subnets to the default VPC.",
            );
        const group = add("aws:ec2/securityGroup:SecurityGroup", `${name}-sg`, {});
        networkConfiguration = { subnets: defaultVpc(ctx).subnetIds, assignPublicIp: true, securityGroups: [group.id] };
    }
    const service = add("aws:ecs/service:Service", name, {
        desiredCount: 1,
        ...serviceArgs,
        networkConfiguration,
        launchType: inputs.capacityProviderStrategies || inputs.useClusterDefaultCapacityProviderStrategy ? undefined : launchType,
        loadBalancers: inputs.loadBalancers ?? containerLoadBalancers(taskDefinitionArgs),
        waitForSteadyState: continueBeforeSteadyState !== true,
        taskDefinition,
    });
    return { children, outputs: { service: service.outputs, taskDefinition: definition?.outputs } };
}

/**
 * The OpenAPI document aws-apigateway builds from its routes: integration targets as given, event handlers as
 * Lambda proxy integrations (local-path routes, served from a bucket, carry no integration here).
 */
function openApiOf(routes: State[], ctx: MockContext): State {
    const paths: Record<string, State> = {};
    for (const route of routes) {
        const method = String(route.method ?? "GET").toUpperCase();
        const handler = route.eventHandler?.arn ?? route.eventHandler;
        const integration = route.target
            ? { type: route.target.type ?? "http_proxy", uri: route.target.uri, httpMethod: method === "ANY" ? "ANY" : method }
            : handler
              ? {
                    type: "aws_proxy",
                    httpMethod: "POST",
                    uri: `arn:aws:apigateway:${ctx.region}:lambda:path/2015-03-31/functions/${handler}/invocations`,
                }
              : undefined;
        if (!integration || !route.path) continue;
        const key = method === "ANY" ? "x-amazon-apigateway-any-method" : method.toLowerCase();
        paths[route.path] = { ...paths[route.path], [key]: { "x-amazon-apigateway-integration": integration } };
    }
    return { openapi: "3.0.1", info: { title: "api", version: "1.0" }, paths };
}

/** aws-apigateway.RestAPI: the REST API, its deployment and its stage (`stage` unless named); no method settings. */
function restApi(name: string, inputs: State, ctx: MockContext): ComponentModel {
    const { children, add } = builder(ctx);
    const api = add("aws:apigateway/restApi:RestApi", name, {
        name,
        body: inputs.swaggerString ?? JSON.stringify(openApiOf(inputs.routes ?? [], ctx)),
        binaryMediaTypes: inputs.binaryMediaTypes,
        apiKeySource: inputs.apiKeySource,
        disableExecuteApiEndpoint: inputs.disableExecuteApiEndpoint,
    });
    const deployment = add("aws:apigateway/deployment:Deployment", name, { restApi: api.id }, { restApi: [childKey(api)] });
    const stageName = inputs.stageName ?? "stage";
    const stage = add(
        "aws:apigateway/stage:Stage",
        name,
        { restApi: api.id, deployment: deployment.id, stageName },
        { restApi: [childKey(api)], deployment: [childKey(deployment)] },
    );
    return {
        children,
        outputs: { api: api.outputs, deployment: deployment.outputs, stage: stage.outputs, url: `${stage.outputs.invokeUrl}/` },
    };
}
