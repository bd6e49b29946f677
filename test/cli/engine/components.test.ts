import * as assert from "assert";

import { modelComponent } from "../../../cli/engine/components";

const ctx = { region: "eu-west-1", stack: "dev" };
const types = (model: ReturnType<typeof modelComponent>) => model!.children.map((c) => `${c.type.split(":").pop()} ${c.name}`);

describe("remote components modeled offline (their providers' children)", () => {
    it("awsx.ec2.Vpc: a public and a private subnet per AZ under the ids its outputs name, NAT gateways one per AZ unless told otherwise", () => {
        const model = modelComponent("awsx:ec2:Vpc", "net", {}, ctx)!;
        const subnets = model.children.filter((c) => c.type === "aws:ec2/subnet:Subnet");
        assert.deepStrictEqual(
            subnets.map((s) => s.id),
            [...model.outputs.publicSubnetIds, ...model.outputs.privateSubnetIds],
        );
        assert.deepStrictEqual(
            subnets.map((s) => s.inputs.availabilityZone),
            ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a", "eu-west-1b", "eu-west-1c"],
        );
        const nats = (strategy?: string) =>
            modelComponent("awsx:ec2:Vpc", "net", strategy ? { natGateways: { strategy } } : {}, ctx)!.children.filter(
                (c) => c.type === "aws:ec2/natGateway:NatGateway",
            ).length;
        assert.deepStrictEqual([nats(), nats("OnePerAz"), nats("Single"), nats("None")], [3, 3, 1, 0]);
    });

    it("awsx.lb.ApplicationLoadBalancer: a security group, the load balancer, an ip target group on 80/HTTP and a listener forwarding to it", () => {
        const model = modelComponent("awsx:lb:ApplicationLoadBalancer", "web", { subnetIds: ["subnet-1", "subnet-2"] }, ctx)!;
        assert.deepStrictEqual(types(model), ["SecurityGroup web", "LoadBalancer web", "TargetGroup web", "Listener web-0"]);
        const [, lb, tg, listener] = model.children;
        assert.deepStrictEqual(lb.inputs.subnets, ["subnet-1", "subnet-2"]);
        assert.deepStrictEqual([tg.inputs.targetType, tg.inputs.port, tg.inputs.protocol], ["ip", 80, "HTTP"]);
        assert.deepStrictEqual(listener.inputs.defaultActions, [{ type: "forward", targetGroupArn: tg.outputs.arn }]);
        assert.strictEqual(model.outputs.loadBalancer.dnsName, lb.outputs.dnsName);
        assert.throws(
            () => modelComponent("awsx:lb:ApplicationLoadBalancer", "web", {}, ctx),
            /One of \[subnets\], \[subnetIds\] or \[subnetMappings\]/,
        );
    });

    it("awsx.ecs.FargateService: one task unless told, the containers' target groups as load balancers, awsx's refusal without a network", () => {
        const args = {
            cluster: "arn:cluster",
            assignPublicIp: true,
            taskDefinitionArgs: {
                container: { name: "app", image: "nginx", portMappings: [{ containerPort: 80, targetGroup: { arn: "arn:tg" } }] },
            },
        };
        const model = modelComponent("awsx:ecs:FargateService", "web", args, ctx)!;
        const service = model.children.find((c) => c.type === "aws:ecs/service:Service")!;
        assert.strictEqual(service.inputs.desiredCount, 1);
        assert.deepStrictEqual(service.inputs.loadBalancers, [{ targetGroupArn: "arn:tg", containerName: "app", containerPort: 80 }]);
        assert.strictEqual(service.inputs.networkConfiguration.subnets.length, 3);
        assert.strictEqual(
            modelComponent("awsx:ecs:FargateService", "web", { ...args, desiredCount: 3 }, ctx)!.outputs.service.desiredCount,
            3,
        );
        const { assignPublicIp: _public, ...privateOnly } = args;
        assert.throws(
            () => modelComponent("awsx:ecs:FargateService", "web", privateOnly, ctx),
            /default VPC does not have any private subnets/,
        );
    });

    it("aws-apigateway.RestAPI: RestApi with its routes as OpenAPI, a deployment and a stage named `stage`", () => {
        const model = modelComponent(
            "aws-apigateway:index:RestAPI",
            "orders",
            { routes: [{ path: "/{proxy+}", method: "ANY", target: { type: "http_proxy", uri: "https://backend.example.com/{proxy}" } }] },
            ctx,
        )!;
        assert.deepStrictEqual(types(model), ["RestApi orders", "Deployment orders", "Stage orders"]);
        const body = JSON.parse(model.children[0].inputs.body);
        assert.strictEqual(
            body.paths["/{proxy+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].uri,
            "https://backend.example.com/{proxy}",
        );
        assert.strictEqual(model.children[2].inputs.stageName, "stage");
    });

    it("models nothing it does not know", () => {
        assert.strictEqual(modelComponent("acme:index:Widget", "w", {}, ctx), undefined);
    });
});
