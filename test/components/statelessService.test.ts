import * as assert from "assert";

import { StackPlan } from "../../cli/engine";
import { minimalArgs } from "../support/fixtures";
import { descendants, ofType, one, projectPlans, runComponent } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

function service(plan: StackPlan) {
    const component = one(plan, "ha-platform:index:StatelessService");
    const children = descendants(plan, component);
    const find = (type: string, name?: string) => {
        const found = children.filter((r) => r.type === type && (name === undefined || r.name === name));
        assert.strictEqual(found.length, 1, `one ${type} ${name ?? ""} in the service`);
        return found[0];
    };
    return { component, children, find };
}

describe("StatelessService", () => {
    it("puts an internet-facing ALB across the public subnets of every AZ", async () => {
        const { prod } = await projectPlans();
        const { find } = service(prod);
        const lb = find("aws:lb/loadBalancer:LoadBalancer");
        assert.strictEqual(lb.inputs.loadBalancerType, "application");
        assert.strictEqual(lb.inputs.internal, false);
        assert.deepStrictEqual(lb.inputs.subnets, one(prod, "awsx:ec2:Vpc").outputs.publicSubnetIds);
        assert.strictEqual(lb.inputs.subnets.length, 3);
    });

    it("serves HTTPS with the configured certificate and redirects HTTP", async () => {
        const { prod } = await projectPlans();
        const { find } = service(prod);
        const https = find("aws:lb/listener:Listener", "web-https");
        assert.strictEqual(https.inputs.port, 443);
        assert.strictEqual(https.inputs.protocol, "HTTPS");
        assert.strictEqual(https.inputs.certificateArn, prod.config["ha-platform:certificateArn"]);
        assert.deepStrictEqual(https.inputs.defaultActions[0], {
            type: "forward",
            targetGroupArn: find("aws:lb/targetGroup:TargetGroup").outputs.arn,
        });
        const http = find("aws:lb/listener:Listener", "web-http");
        assert.deepStrictEqual(http.inputs.defaultActions[0].redirect, { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" });
    });

    it("health-checks targets with the configured path, matcher, interval and thresholds, without sticky sessions", async () => {
        const { prod } = await projectPlans();
        const tg = service(prod).find("aws:lb/targetGroup:TargetGroup");
        assert.deepStrictEqual(tg.inputs.healthCheck, {
            enabled: true,
            protocol: "HTTP",
            port: "traffic-port",
            path: "/health",
            matcher: "200",
            interval: 10,
            timeout: 5,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
        });
        assert.strictEqual(tg.inputs.stickiness.enabled, false);
        assert.strictEqual(tg.inputs.port, 8080);
    });

    it("runs an ELB-health-checked Auto Scaling group over the private subnets of every AZ, min >= 2, with instance refresh", async () => {
        const { prod, dr } = await projectPlans();
        for (const [plan, minSize] of [
            [prod, 3],
            [dr, 2],
        ] as const) {
            const { find } = service(plan);
            const group = find("aws:autoscaling/group:Group");
            assert.deepStrictEqual(group.inputs.vpcZoneIdentifiers, one(plan, "awsx:ec2:Vpc").outputs.privateSubnetIds);
            assert.strictEqual(group.inputs.healthCheckType, "ELB");
            assert.strictEqual(group.inputs.healthCheckGracePeriod, 120);
            assert.strictEqual(group.inputs.minSize, minSize);
            assert.strictEqual(group.inputs.maxSize, 12);
            assert.deepStrictEqual(group.inputs.targetGroupArns, [find("aws:lb/targetGroup:TargetGroup").outputs.arn]);
            assert.strictEqual(group.inputs.instanceRefresh.strategy, "Rolling");
            assert.strictEqual(group.inputs.instanceRefresh.preferences.minHealthyPercentage, 90);
            assert.strictEqual(group.inputs.launchTemplate.id, find("aws:ec2/launchTemplate:LaunchTemplate").outputs.id);
            assert.strictEqual(find("aws:ec2/launchTemplate:LaunchTemplate").inputs.metadataOptions.httpTokens, "required");
        }
    });

    it("resolves the SSM image parameter at deploy time, so instance refresh can roll back (it cannot to an SSM-parameter image)", async () => {
        const { prod } = await projectPlans();
        const { find } = service(prod);
        assert.match(find("aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId, /^ami-[0-9a-f]+$/);
        const group = find("aws:autoscaling/group:Group");
        assert.strictEqual(group.inputs.instanceRefresh.preferences.autoRollback, true);
        assert.match(group.inputs.launchTemplate.version, /^\d+$/, "a version number, not $Latest");
        const pinned = await runComponent("StatelessService", { ...minimalArgs.StatelessService, imageId: "ami-0123456789abcdef0" });
        assert.strictEqual(one(pinned, "aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId, "ami-0123456789abcdef0");
    });

    it("serves the health path on a fresh deploy until the application is installed, and uses the application's user data when given", async () => {
        const { prod } = await projectPlans();
        const script = Buffer.from(service(prod).find("aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8");
        assert.match(script, /^#!\/bin\/bash/);
        assert.match(script, /PORT, PATH = 8080, "\/health"/);
        assert.match(script, /systemctl enable --now ha-health-responder\.service/);
        const custom = await runComponent("StatelessService", {
            ...minimalArgs.StatelessService,
            port: 9000,
            healthCheck: { path: "/ready" },
        });
        assert.match(
            Buffer.from(one(custom, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8"),
            /PORT, PATH = 9000, "\/ready"/,
        );
        const app = await runComponent("StatelessService", {
            ...minimalArgs.StatelessService,
            userData: Buffer.from("#!/bin/bash\nrun-app").toString("base64"),
        });
        assert.strictEqual(
            Buffer.from(one(app, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData, "base64").toString("utf8"),
            "#!/bin/bash\nrun-app",
        );
    });

    it("scales on CPU, on requests per target and in steps on a latency alarm", async () => {
        const { prod } = await projectPlans();
        const { find } = service(prod);
        const groupName = find("aws:autoscaling/group:Group").outputs.name;
        const lb = find("aws:lb/loadBalancer:LoadBalancer");
        const tg = find("aws:lb/targetGroup:TargetGroup");
        const cpu = find("aws:autoscaling/policy:Policy", "web-cpu");
        assert.strictEqual(cpu.inputs.autoscalingGroupName, groupName);
        assert.deepStrictEqual(cpu.inputs.targetTrackingConfiguration, {
            predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
            targetValue: 50,
        });
        const requests = find("aws:autoscaling/policy:Policy", "web-requests");
        assert.deepStrictEqual(requests.inputs.targetTrackingConfiguration.predefinedMetricSpecification, {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: `${lb.outputs.arnSuffix}/${tg.outputs.arnSuffix}`,
        });
        assert.strictEqual(requests.inputs.targetTrackingConfiguration.targetValue, 1000);
        const step = find("aws:autoscaling/policy:Policy", "web-latency-step");
        assert.strictEqual(step.inputs.policyType, "StepScaling");
        assert.deepStrictEqual(
            step.inputs.stepAdjustments.map((s: { scalingAdjustment: number }) => s.scalingAdjustment),
            [1, 2],
        );
        const alarm = find("aws:cloudwatch/metricAlarm:MetricAlarm", "web-latency");
        assert.strictEqual(alarm.inputs.metricName, "TargetResponseTime");
        assert.strictEqual(alarm.inputs.extendedStatistic, "p90");
        assert.ok(alarm.inputs.alarmActions.includes(step.outputs.arn), "the latency alarm drives the step policy");
    });

    it("lets only the load balancer reach the instances", async () => {
        const { prod } = await projectPlans();
        const { find, children } = service(prod);
        const lbGroup = find("aws:ec2/securityGroup:SecurityGroup", "web-alb");
        const instanceGroup = find("aws:ec2/securityGroup:SecurityGroup", "web-instances");
        assert.deepStrictEqual(instanceGroup.inputs.ingress, [
            { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [lbGroup.outputs.id], description: "from load balancer" },
        ]);
        assert.deepStrictEqual(find("aws:lb/loadBalancer:LoadBalancer").inputs.securityGroups, [lbGroup.outputs.id]);
        const egress = children.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        assert.deepStrictEqual(
            egress.map((r) => [r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId, r.inputs.fromPort]),
            [[lbGroup.outputs.id, instanceGroup.outputs.id, 8080]],
        );
    });

    it("associates a WAF web ACL with a per-IP rate-based rule with the load balancer", async () => {
        const { prod } = await projectPlans();
        const { find } = service(prod);
        const acl = find("aws:wafv2/webAcl:WebAcl");
        assert.strictEqual(acl.inputs.scope, "REGIONAL");
        const rule = acl.inputs.rules[0];
        assert.deepStrictEqual(rule.action, { block: {} });
        assert.strictEqual(rule.statement.rateBasedStatement.limit, 2000);
        assert.strictEqual(rule.statement.rateBasedStatement.aggregateKeyType, "IP");
        const association = find("aws:wafv2/webAclAssociation:WebAclAssociation");
        assert.strictEqual(association.inputs.resourceArn, find("aws:lb/loadBalancer:LoadBalancer").outputs.arn);
        assert.strictEqual(association.inputs.webAclArn, acl.outputs.arn);
    });

    it("does not count the API's forwarded requests by IP (all from API Gateway's addresses): they carry the secret origin header", async () => {
        const { prod } = await projectPlans();
        const rule = service(prod).find("aws:wafv2/webAcl:WebAcl").inputs.rules[0].statement.rateBasedStatement;
        const match = rule.scopeDownStatement.notStatement.statement.byteMatchStatement;
        assert.deepStrictEqual(
            [match.fieldToMatch, match.positionalConstraint, match.textTransformations],
            [{ singleHeader: { name: "x-origin-verify" } }, "EXACTLY", [{ priority: 0, type: "NONE" }]],
        );
        const secret = one(prod, "random:index/randomPassword:RandomPassword", "api-origin-verify").outputs.result;
        assert.strictEqual(match.searchString, secret);
        assert.strictEqual(one(prod, "aws:apigateway/stage:Stage").inputs.variables.originVerify, secret, "the value the API sends");
        const plain = await runComponent("StatelessService", minimalArgs.StatelessService);
        assert.strictEqual(
            one(plain, "aws:wafv2/webAcl:WebAcl").inputs.rules[0].statement.rateBasedStatement.scopeDownStatement,
            undefined,
            "without a trusted header every request counts",
        );
    });

    it("alarms on 5xx, unhealthy hosts and latency to the stack's topic", async () => {
        const { prod } = await projectPlans();
        const topic = one(prod, "aws:sns/topic:Topic", "alarms").outputs.arn;
        const alarms = service(prod).children.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        assert.deepStrictEqual(alarms.map((a) => a.name).sort(), ["web-5xx", "web-latency", "web-unhealthy-hosts"]);
        for (const alarm of alarms) assert.ok(alarm.inputs.alarmActions.includes(topic), `${alarm.name} notifies`);
        const fiveXx = alarms.find((a) => a.name === "web-5xx")!;
        assert.deepStrictEqual(
            fiveXx.inputs.metricQueries.map((q: { metric?: { metricName: string } }) => q.metric?.metricName).filter(Boolean),
            ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"],
        );
        assert.strictEqual(alarms.find((a) => a.name === "web-unhealthy-hosts")!.inputs.metricName, "UnHealthyHostCount");
    });

    it("passes health-check and scaling args through", async () => {
        const plan = await runComponent("StatelessService", {
            ...minimalArgs.StatelessService,
            healthCheck: { path: "/ready", intervalSeconds: 30, unhealthyThreshold: 3 },
            cpuTargetPercent: 40,
            minSize: 4,
        });
        const tg = one(plan, "aws:lb/targetGroup:TargetGroup");
        assert.strictEqual(tg.inputs.healthCheck.path, "/ready");
        assert.strictEqual(tg.inputs.healthCheck.interval, 30);
        assert.strictEqual(tg.inputs.healthCheck.unhealthyThreshold, 3);
        assert.strictEqual(ofType(plan, "aws:autoscaling/group:Group")[0].inputs.minSize, 4);
        assert.strictEqual(one(plan, "aws:autoscaling/policy:Policy", "subject-cpu").inputs.targetTrackingConfiguration.targetValue, 40);
    });

    it("refuses fewer than 2 instances and maxSize below minSize", async () => {
        await assertRejectsArgs("StatelessService", { minSize: 1 }, /minSize must be an integer >= 2/);
        await assertRejectsArgs("StatelessService", { minSize: 4, maxSize: 3 }, /maxSize must be an integer >= minSize \(4\)/);
    });
});
