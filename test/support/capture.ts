/** Runs a function with process.stdout/stderr captured. */
export async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result: T; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const { write: stdoutWrite } = process.stdout;
    const { write: stderrWrite } = process.stderr;
    process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
        const result = await fn();
        return { result, stdout: out.join(""), stderr: err.join("") };
    } finally {
        process.stdout.write = stdoutWrite;
        process.stderr.write = stderrWrite;
    }
}
