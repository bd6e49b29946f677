/**
 * Ids of the pack's own follow-up policies (not rules), in a module that loads nothing: the CLI's reports
 * and pipeline read them without loading CrossGuard.
 */

/** Checks again at stack validation what a rule could not verify at preview; reports invalid exemptions. */
export const PREVIEW_RECHECK_ID = "ha-preview-recheck";

/** Lists every exemption applied in the run: informational, never a violation. */
export const EXEMPTION_REPORT_ID = "ha-exemptions-applied";
