import * as assert from "assert";

import {
    BrokenCircuitError,
    bulkhead,
    BulkheadRejectedError,
    circuitBreaker,
    isTransientError,
    resilient,
    retry,
    TaskCancelledError,
    timeout,
} from "../resilience";

const transient = () => Object.assign(new Error("slow down"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
const invalid = () => Object.assign(new Error("bad input"), { name: "ValidationException", $metadata: { httpStatusCode: 400 } });

/** A function failing `failures` times with `error`, then returning "ok"; counts its calls. */
function flaky(failures: number, error: () => Error) {
    const fn = async () => {
        fn.calls++;
        if (fn.calls <= failures) throw error();
        return "ok";
    };
    fn.calls = 0;
    return fn;
}

describe("resilience module", () => {
    it("classifies throttling, 5xx and connection faults as transient, validation errors not", () => {
        assert.ok(isTransientError(transient()));
        assert.ok(isTransientError(Object.assign(new Error(), { $metadata: { httpStatusCode: 503 } })));
        assert.ok(isTransientError(Object.assign(new Error(), { code: "ECONNRESET" })));
        assert.ok(!isTransientError(invalid()));
        assert.ok(!isTransientError("string"));
    });

    it("retry: transient failures are retried with backoff until success; others fail at once", async () => {
        const policy = retry({ maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 4 });
        const recovering = flaky(2, transient);
        assert.strictEqual(await policy.execute(recovering), "ok");
        assert.strictEqual(recovering.calls, 3);
        const broken = flaky(5, invalid);
        await assert.rejects(policy.execute(broken), /bad input/);
        assert.strictEqual(broken.calls, 1);
        const persistent = flaky(10, transient);
        await assert.rejects(policy.execute(persistent), /slow down/);
        assert.strictEqual(persistent.calls, 4, "first call + 3 retries");
    });

    it("circuit breaker: opens after consecutive failures and then fails fast without calling", async () => {
        const policy = circuitBreaker({ consecutiveFailures: 2, halfOpenAfterMs: 60_000 });
        const failing = flaky(100, transient);
        await assert.rejects(policy.execute(failing));
        await assert.rejects(policy.execute(failing));
        await assert.rejects(policy.execute(failing), BrokenCircuitError);
        assert.strictEqual(failing.calls, 2);
    });

    it("timeout: cancels a call that takes too long", async () => {
        await assert.rejects(
            timeout(20).execute(() => new Promise((resolve) => setTimeout(resolve, 500))),
            TaskCancelledError,
        );
    });

    it("bulkhead: rejects calls beyond the limit and queue", async () => {
        const policy = bulkhead(1, 1);
        const slow = () => new Promise((resolve) => setTimeout(resolve, 30));
        const results = await Promise.allSettled([policy.execute(slow), policy.execute(slow), policy.execute(slow)]);
        assert.deepStrictEqual(
            results.map((r) => r.status),
            ["fulfilled", "fulfilled", "rejected"],
        );
        assert.ok((results[2] as PromiseRejectedResult).reason instanceof BulkheadRejectedError);
    });

    it("resilient: retries count against the breaker, which then stops further calls", async () => {
        const policy = resilient({
            retry: { maxAttempts: 10, initialDelayMs: 1, maxDelayMs: 2 },
            breaker: { consecutiveFailures: 3 },
            timeoutMs: 1000,
        });
        const failing = flaky(100, transient);
        await assert.rejects(policy.execute(failing), BrokenCircuitError);
        assert.strictEqual(failing.calls, 3);
        assert.strictEqual(await resilient({ retry: { initialDelayMs: 1 } }).execute(flaky(1, transient)), "ok");
    });
});
