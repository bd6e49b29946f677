/**
 * Resilience for services running on ha-platform (and for the platform's own AWS calls): thin wrappers on
 * cockatiel with defaults that suit calls to AWS and to sibling services.
 *
 * - `retry`: transient failures (throttling, 5xx, timeouts) retried with exponential backoff and
 *   decorrelated jitter, so clients that failed together do not retry together.
 * - `circuitBreaker`: after consecutive failures, calls fail fast for a while instead of piling onto a
 *   dependency that is down; one trial call then decides whether to close again.
 * - `timeout`: no call waits forever; the operation gets an AbortSignal to cancel its work.
 * - `bulkhead`: at most N calls in flight (plus a small queue), so one slow dependency cannot take every
 *   connection or thread of the service.
 * - `resilient`: the usual composition, outermost first: bulkhead → retry → circuit breaker → timeout.
 */
import {
    bulkhead as cockatielBulkhead,
    circuitBreaker as cockatielBreaker,
    ConsecutiveBreaker,
    ExponentialBackoff,
    handleAll,
    handleWhen,
    IPolicy,
    retry as cockatielRetry,
    timeout as cockatielTimeout,
    TimeoutStrategy,
    wrap,
} from "cockatiel";

export { BrokenCircuitError, BulkheadRejectedError, TaskCancelledError } from "cockatiel";
export type { IPolicy } from "cockatiel";

/** AWS error names and HTTP statuses worth retrying: throttling, server-side and network faults. */
const TRANSIENT_NAMES = new Set([
    "ThrottlingException",
    "Throttling",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "ProvisionedThroughputExceededException",
    "PriorRequestNotComplete",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalFailure",
    "InternalError",
    "RequestTimeout",
    "RequestTimeoutException",
    "TimeoutError",
    "ECONNRESET",
    "ETIMEDOUT",
    "EPIPE",
]);

/** True for failures a retry can fix: throttling, 5xx and connection faults (AWS SDK v3 errors or plain ones). */
export function isTransientError(err: unknown): boolean {
    const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    if (!e || typeof e !== "object") return false;
    if (e.$retryable) return true;
    if (TRANSIENT_NAMES.has(e.name ?? "") || TRANSIENT_NAMES.has(e.code ?? "")) return true;
    const status = e.$metadata?.httpStatusCode ?? 0;
    return status === 429 || status >= 500;
}

/** Options of {@link retry}. */
export interface RetryOptions {
    /** Attempts after the first one. Default `4`. */
    maxAttempts?: number;
    /** First delay (ms); it doubles each attempt, with jitter. Default `200`. */
    initialDelayMs?: number;
    /** Longest delay (ms). Default `10000`. */
    maxDelayMs?: number;
    /** Which failures to retry. Default `isTransientError`: a validation error is never retried. */
    retryOn?: (err: Error) => boolean;
}

/** Retries transient failures with exponential backoff and decorrelated jitter. */
export function retry(options: RetryOptions = {}) {
    return cockatielRetry(handleWhen(options.retryOn ?? isTransientError), {
        maxAttempts: options.maxAttempts ?? 4,
        backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 200, maxDelay: options.maxDelayMs ?? 10_000 }),
    });
}

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions {
    /** Consecutive failures that open the circuit. Default `5`. */
    consecutiveFailures?: number;
    /** How long (ms) the circuit stays open before a trial call. Default `30000`. */
    halfOpenAfterMs?: number;
}

/** Fails calls fast with BrokenCircuitError after consecutive failures, until a trial call succeeds. */
export function circuitBreaker(options: CircuitBreakerOptions = {}) {
    return cockatielBreaker(handleAll, {
        halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
        breaker: new ConsecutiveBreaker(options.consecutiveFailures ?? 5),
    });
}

/** Cancels a call after `ms` (default 10 s); the operation receives an AbortSignal through its context. */
export function timeout(ms = 10_000) {
    return cockatielTimeout(ms, TimeoutStrategy.Aggressive);
}

/** At most `limit` calls at once (default 10) and `queue` waiting (default 20); more are rejected at once. */
export function bulkhead(limit = 10, queue = 20) {
    return cockatielBulkhead(limit, queue);
}

/** Concurrency limit of {@link resilient}. */
export interface BulkheadOptions {
    /** Calls in flight at once. */
    limit: number;
    /** Calls waiting for a slot; more are rejected at once. Default `20`. */
    queue?: number;
}

/** Options of {@link resilient}: those of each layer. */
export interface ResilientOptions {
    /** Retry layer. Default: each `RetryOptions` member at its default. */
    retry?: RetryOptions;
    /** Circuit breaker layer. Default: each `CircuitBreakerOptions` member at its default. */
    breaker?: CircuitBreakerOptions;
    /** Per-attempt timeout (ms). Default `10000`. */
    timeoutMs?: number;
    /** Concurrency limit. Default: none (no bulkhead layer). */
    bulkhead?: BulkheadOptions;
}

/**
 * The usual composition: bulkhead (if any) → retry → circuit breaker → per-attempt timeout. A retry
 * counts against the breaker, so a dependency that keeps failing opens it and later calls fail fast with
 * BrokenCircuitError instead of waiting.
 */
export function resilient(options: ResilientOptions = {}): IPolicy {
    const layers: IPolicy[] = [retry(options.retry), circuitBreaker(options.breaker), timeout(options.timeoutMs)];
    if (options.bulkhead) layers.unshift(bulkhead(options.bulkhead.limit, options.bulkhead.queue));
    return wrap(...layers);
}
