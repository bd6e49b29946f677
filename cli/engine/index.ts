/** The offline engine: run any Pulumi program under mocks and capture its plan. Imports no other part of the CLI. */
export type { LookupAnswers } from "./mocks";
export type { CapturedResource, ResourceOptions, SecretPaths, StackPlan } from "./plan";
export { ProgramError, redact, redactedResource, SECRET } from "./plan";
export { ProjectError } from "./program";
export type { ProjectInfo, StackConfig } from "./project";
export { loadProject, loadStackConfig, orderStacks } from "./project";
export type { RunProjectOptions, RunStackOptions } from "./run";
export { pulumiFor, runProject, runStack } from "./run";
