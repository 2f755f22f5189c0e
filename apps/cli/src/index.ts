/**
 * @kaa/cli — `kaa`, the admin's tool. The binary is `dist/kaa.js`; these exports let tests and scripts run
 * commands in-process.
 * @packageDocumentation
 */
export { runKaa, COMMANDS, MAIN_HELP, VERSION } from './cli.js';
export { nodeIo } from './io.js';
export type { CliIo } from './io.js';
export { EXIT, exitCodeFor } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export { loadConfig } from './config/load-config.js';
export type { LoadedConfig } from './config/loaded-config.js';
export { KaaConfigSchema } from './config/schema.js';
export type { KaaConfig, BotConfig } from './config/schema.js';
export type { SecretRef } from './config/secret-ref.js';
export { planTable, mask, MASK } from './table/plan-table.js';
export type { TablePlan, TableChange } from './table/plan-table.js';
export { runDoctor } from './doctor/run-doctor.js';
export type { DoctorStepResult, DoctorStepName } from './doctor/doctor-step.js';
