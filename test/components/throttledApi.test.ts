import * as assert from "assert";

import { runStack } from "../../cli/engine";
import { minimalArgs } from "../support/fixtures";
import { descendants, one, PROJECT_DIR, projectPlans, runComponent } from "../support/plans";
import { assertRejectsArgs } from "../support/rejects";

describe("ThrottledApi", () => {
    it("throttles the whole stage with explicit burst and rate limits", async () => {
        const { prod } = await projectPlans();
        const settings = one(prod, "aws:apigateway/methodSettings:MethodSettings");
        const stage = one(prod, "aws:apigateway/stage:Stage");
        assert.strictEqual(settings.inputs.methodPath, "*/*");
        assert.strictEqual(settings.inputs.restApi, one(prod, "aws:apigateway/restApi:RestApi").outputs.id);
        assert.strictEqual(settings.inputs.stageName, stage.inputs.stageName);
        assert.strictEqual(settings.inputs.settings.throttlingBurstLimit, 1000);
        assert.strictEqual(settings.inputs.settings.throttlingRateLimit, 500);
    });

    it("has a usage plan on the stage and, by default, requires no API key (a key nobody holds would make every call 403)", async () => {
        const { prod } = await projectPlans();
        const plan = one(prod, "aws:apigateway/usagePlan:UsagePlan");
        assert.deepStrictEqual(plan.inputs.throttleSettings, { burstLimit: 200, rateLimit: 100 });
        assert.deepStrictEqual(plan.inputs.quotaSettings, { limit: 1_000_000, period: "DAY" });
        assert.deepStrictEqual(plan.inputs.apiStages, [{ apiId: one(prod, "aws:apigateway/restApi:RestApi").outputs.id, stage: "v1" }]);
        const body = JSON.parse(one(prod, "aws:apigateway/restApi:RestApi").inputs.body);
        assert.deepStrictEqual(body.paths["/{proxy+}"]["x-amazon-apigateway-any-method"].security, []);
        assert.deepStrictEqual(
            prod.resources.filter((r) => r.type === "aws:apigateway/apiKey:ApiKey"),
            [],
        );
    });

    it("with keys required, creates the key from the given secret value and adds it to the usage plan; the health path needs none", async () => {
        const plan = await runComponent("ThrottledApi", {
            ...minimalArgs.ThrottledApi,
            apiKeyRequired: true,
            apiKey: "clientkey0123456789abcdef",
        });
        const body = JSON.parse(one(plan, "aws:apigateway/restApi:RestApi").inputs.body);
        assert.deepStrictEqual(body.paths["/{proxy+}"]["x-amazon-apigateway-any-method"].security, [{ api_key: [] }]);
        assert.deepStrictEqual(
            body.paths["/health"]["x-amazon-apigateway-any-method"].security,
            [],
            "Route 53 health checks cannot send x-api-key",
        );
        const key = one(plan, "aws:apigateway/apiKey:ApiKey");
        assert.deepStrictEqual(key.secrets.inputs, [["value"]], "the key's value stays a secret");
        const planKey = one(plan, "aws:apigateway/usagePlanKey:UsagePlanKey");
        assert.deepStrictEqual(
            [planKey.inputs.keyId, planKey.inputs.keyType, planKey.inputs.usagePlanId],
            [key.id, "API_KEY", one(plan, "aws:apigateway/usagePlan:UsagePlan").id],
        );
    });

    it("refuses keys required without a key, and a domain without its certificate, before creating anything", async () => {
        await assertRejectsArgs("ThrottledApi", { apiKeyRequired: true }, /apiKeyRequired needs apiKey .* every call gets 403/);
        await assertRejectsArgs("ThrottledApi", { domainName: "api.example.com" }, /domainName and certificateArn go together/);
    });

    it("serves clients at a regional custom domain in each region, mapped to the stage, with a keyless health path for Route 53", async () => {
        const { prod, dr } = await projectPlans();
        for (const [plan, region] of [
            [prod, "us-east-1"],
            [dr, "us-west-2"],
        ] as const) {
            const domain = one(plan, "aws:apigateway/domainName:DomainName");
            assert.deepStrictEqual(domain.inputs.endpointConfiguration, { types: "REGIONAL" });
            assert.strictEqual(domain.inputs.domainName, "api.example.com", "the same name in both regions");
            assert.strictEqual(domain.inputs.regionalCertificateArn.split(":")[3], region, "a certificate of the domain's own region");
            const mapping = one(plan, "aws:apigateway/basePathMapping:BasePathMapping");
            assert.deepStrictEqual(
                [mapping.inputs.domainName, mapping.inputs.restApi, mapping.inputs.stageName],
                ["api.example.com", one(plan, "aws:apigateway/restApi:RestApi").outputs.id, "v1"],
            );
            const body = JSON.parse(one(plan, "aws:apigateway/restApi:RestApi").inputs.body);
            assert.strictEqual(
                body.paths["/health"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].uri,
                `https://${region}.app.example.com/health`,
            );
        }
    });

    it("proxies to this region's service name and writes access logs", async () => {
        const { prod, dr } = await projectPlans();
        for (const [plan, region] of [
            [prod, "us-east-1"],
            [dr, "us-west-2"],
        ] as const) {
            const body = JSON.parse(one(plan, "aws:apigateway/restApi:RestApi").inputs.body);
            assert.strictEqual(
                body.paths["/{proxy+}"]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].uri,
                `https://${region}.app.example.com/{proxy}`,
            );
            const stage = one(plan, "aws:apigateway/stage:Stage");
            const api = one(plan, "ha-platform:index:ThrottledApi");
            const logGroup = descendants(plan, api).find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
            assert.strictEqual(stage.inputs.accessLogSettings.destinationArn, logGroup.outputs.arn);
            assert.ok(
                stage.options.dependsOn.includes(one(plan, "aws:apigateway/account:Account").urn),
                "stage waits for the logging role",
            );
        }
    });

    it("limits each client by its own address on the stage's own web ACL", async () => {
        const { prod } = await projectPlans();
        const api = one(prod, "ha-platform:index:ThrottledApi");
        const [webAcl] = descendants(prod, api).filter((r) => r.type === "aws:wafv2/webAcl:WebAcl");
        const association = descendants(prod, api).find((r) => r.type === "aws:wafv2/webAclAssociation:WebAclAssociation")!;
        assert.strictEqual(association.inputs.resourceArn, one(prod, "aws:apigateway/stage:Stage").outputs.arn);
        assert.strictEqual(association.inputs.webAclArn, webAcl.outputs.arn);
        const rule = webAcl.inputs.rules[0].statement.rateBasedStatement;
        assert.deepStrictEqual([rule.aggregateKeyType, rule.limit, rule.scopeDownStatement], ["IP", 2000, undefined]);
    });

    it("adds the origin header to every backend request from a stage variable, keeping the secret out of the API definition", async () => {
        const { prod } = await projectPlans();
        const body = JSON.parse(one(prod, "aws:apigateway/restApi:RestApi").inputs.body);
        for (const path of ["/", "/health", "/{proxy+}"]) {
            assert.strictEqual(
                body.paths[path]["x-amazon-apigateway-any-method"]["x-amazon-apigateway-integration"].requestParameters[
                    "integration.request.header.x-origin-verify"
                ],
                "stageVariables.originVerify",
                path,
            );
        }
        const stage = one(prod, "aws:apigateway/stage:Stage");
        assert.deepStrictEqual(stage.secrets.inputs, [["variables"]], "the value is a secret");
        assert.strictEqual(stage.inputs.variables.originVerify, one(prod, "random:index/randomPassword:RandomPassword").outputs.result);
        assert.ok(
            !one(prod, "aws:apigateway/restApi:RestApi").inputs.body.includes(
                one(prod, "random:index/randomPassword:RandomPassword").outputs.result,
            ),
        );
    });

    it("alarms on 5xx and p90 latency of the stage", async () => {
        const { prod } = await projectPlans();
        const api = one(prod, "aws:apigateway/restApi:RestApi");
        const alarms = descendants(prod, one(prod, "ha-platform:index:ThrottledApi")).filter(
            (r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm",
        );
        assert.deepStrictEqual(alarms.map((a) => [a.inputs.metricName, a.inputs.threshold]).sort(), [
            ["5XXError", 10],
            ["Latency", 2000],
        ]);
        for (const alarm of alarms) assert.deepStrictEqual(alarm.inputs.dimensions, { ApiName: api.outputs.name, Stage: "v1" });
    });

    it("passes configured limits through", async () => {
        const plan = await runComponent("ThrottledApi", {
            ...minimalArgs.ThrottledApi,
            throttlingBurstLimit: 50,
            throttlingRateLimit: 25,
            usagePlan: { rateLimit: 5 },
            apiKeyRequired: false,
            latencyAlarmMs: 800,
        });
        assert.strictEqual(one(plan, "aws:cloudwatch/metricAlarm:MetricAlarm", "subject-latency").inputs.threshold, 800);
        const settings = one(plan, "aws:apigateway/methodSettings:MethodSettings").inputs.settings;
        assert.deepStrictEqual([settings.throttlingBurstLimit, settings.throttlingRateLimit], [50, 25]);
        assert.strictEqual(one(plan, "aws:apigateway/usagePlan:UsagePlan").inputs.throttleSettings.rateLimit, 5);
        const body = JSON.parse(one(plan, "aws:apigateway/restApi:RestApi").inputs.body);
        assert.deepStrictEqual(body.paths["/"]["x-amazon-apigateway-any-method"].security, []);
    });

    it("leaves the region's API Gateway logging role alone when another stack sets it", async () => {
        const plan = await runStack({
            projectDir: PROJECT_DIR,
            stack: "prod",
            config: { api: JSON.stringify({ manageAccountLoggingRole: false }) },
        });
        const types = plan.resources.map((r) => r.type);
        assert.ok(!types.includes("aws:apigateway/account:Account"));
        assert.ok(!plan.resources.some((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-apigateway-logs")));
        assert.ok(one(plan, "aws:apigateway/stage:Stage").inputs.accessLogSettings.destinationArn, "access logs still written");
        const { prod } = await projectPlans();
        assert.ok(
            prod.resources.some((r) => r.type === "aws:iam/role:Role" && r.name === "api-apigateway-logs"),
            "the default manages it",
        );
    });
});
