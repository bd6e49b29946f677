// A smaller HA service from ha-platform's public API only: a 3-AZ network, a stateless service behind an
// ALB with health checks, scaling and a WAF rate rule, a Multi-AZ session store and a DynamoDB table.
import * as pulumi from "@pulumi/pulumi";
import { GlobalTable, Network, SessionStore, StatelessService } from "ha-platform";

const config = new pulumi.Config();

const network = new Network("network", { availabilityZoneCount: 3 });

const service = new StatelessService("app", {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    certificateArn: config.require("certificateArn"),
    minSize: 3,
    maxSize: 9,
    healthCheck: { path: "/healthz" },
});

const sessions = new SessionStore("sessions", {
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    allowedSecurityGroupIds: [service.instanceSecurityGroupId],
    nodes: 2,
});

const table = new GlobalTable("orders", { mode: "primary", hashKey: "orderId", rangeKey: "" });

export const url = pulumi.interpolate`https://${service.dnsName}`;
export const sessionStoreEndpoint = sessions.primaryEndpoint;
export const tableName = table.tableName;
