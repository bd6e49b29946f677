/** Args that satisfy each component's required inputs in the harness, so a test states only what it varies. */
export const vpc = {
    vpcId: "vpc-1",
    publicSubnetIds: ["subnet-p1", "subnet-p2", "subnet-p3"],
    privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
};

export const minimalArgs: Record<string, Record<string, unknown>> = {
    Network: {},
    StatelessService: { ...vpc, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" },
    ThrottledApi: { backendUrl: "https://backend.example.com" },
    WorkQueue: { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds },
    SessionStore: { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, allowedSecurityGroupIds: ["sg-app"] },
    GlobalDatabase: {
        mode: "primary",
        vpcId: vpc.vpcId,
        subnetIds: vpc.privateSubnetIds,
        availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
        allowedSecurityGroupIds: ["sg-app"],
        masterPassword: "harness-password",
    },
    ReplicatedBucket: { mode: "source" },
    GlobalTable: { mode: "primary" },
    DrDrill: {
        availabilityZone: "us-east-1a",
        networkTag: "network",
        serviceTag: "web",
        stopAlarmArns: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:x"],
    },
    DnsFailover: {
        role: "PRIMARY",
        zoneId: "ZHARNESS",
        recordName: "app.example.com",
        regionalName: "us-east-1.app.example.com",
        target: { dnsName: "lb.example.com", zoneId: "ZLB" },
    },
};
