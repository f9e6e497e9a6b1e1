import path from "node:path";

/** Absolute path of the run-report formatter module, for cucumber's `format` option. */
export const REPORT_FORMATTER = path.join(__dirname, "report-formatter.js");
/** Absolute path of the console progress formatter module, for cucumber's `format` option. */
export const PROGRESS_FORMATTER = path.join(__dirname, "progress-formatter.js");
