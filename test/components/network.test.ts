import * as assert from "assert";

import { descendants, one, projectPlans, runComponent } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

describe("Network", () => {
    it("spreads the VPC over 3 AZs with public and private subnets and a NAT gateway per AZ", async () => {
        const { prod, dr } = await projectPlans();
        for (const plan of [prod, dr]) {
            const network = one(plan, "ha-platform:index:Network");
            const vpc = one(plan, "awsx:ec2:Vpc");
            assert.strictEqual(vpc.parent, network.urn);
            assert.strictEqual(vpc.inputs.numberOfAvailabilityZones, 3);
            assert.deepStrictEqual(vpc.inputs.natGateways, { strategy: "OnePerAz" });
            assert.deepStrictEqual(
                vpc.inputs.subnetSpecs.map((s: { type: string }) => s.type),
                ["Public", "Private"],
            );
            assert.strictEqual(vpc.outputs.privateSubnetIds.length, 3);
            assert.strictEqual(new Set(vpc.outputs.privateSubnetIds).size, 3);
        }
    });

    it("logs all VPC traffic to CloudWatch through a role only the flow-logs service can assume", async () => {
        const { prod } = await projectPlans();
        const network = one(prod, "ha-platform:index:Network");
        const children = descendants(prod, network);
        const flowLog = children.find((r) => r.type === "aws:ec2/flowLog:FlowLog")!;
        const logGroup = children.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
        const role = children.find((r) => r.type === "aws:iam/role:Role")!;
        assert.strictEqual(flowLog.inputs.trafficType, "ALL");
        assert.strictEqual(flowLog.inputs.vpcId, one(prod, "awsx:ec2:Vpc").outputs.vpcId);
        assert.strictEqual(flowLog.inputs.logDestination, logGroup.outputs.arn);
        assert.strictEqual(flowLog.inputs.iamRoleArn, role.outputs.arn);
        assert.strictEqual(logGroup.inputs.retentionInDays, 90);
        assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
    });

    it("takes the AZ count and CIDR from its args", async () => {
        const plan = await runComponent("Network", { availabilityZoneCount: 4, cidrBlock: "10.20.0.0/16" });
        const vpc = one(plan, "awsx:ec2:Vpc");
        assert.strictEqual(vpc.inputs.numberOfAvailabilityZones, 4);
        assert.strictEqual(vpc.inputs.cidrBlock, "10.20.0.0/16");
        assert.deepStrictEqual(plan.exports.outputs.availabilityZoneNames, ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]);
    });

    it("refuses a single-AZ network", () =>
        assertRejectsArgs("Network", { availabilityZoneCount: 1 }, /availabilityZoneCount must be an integer from 2 to 6 \(got 1\)/));
});
