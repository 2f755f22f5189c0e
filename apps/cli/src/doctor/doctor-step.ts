/**
 * The steps `kaa doctor` runs, in the page's order: its settings (the deployed page), then steps 2–7 of
 * docs/architecture.md#one-interaction-top-to-bottom. The {@link BROKER_DOCTOR_STEPS} run only when the config or the
 * deployed page names a token broker (docs/architecture.md#broker-mode).
 *
 * @example
 * ```ts
 * DOCTOR_STEPS[0]; // 'page'
 * ```
 */
export const DOCTOR_STEPS = [
  'page',
  'environment',
  'token',
  'broker health',
  'broker CORS',
  'broker launch',
  'conversation',
  'agent participant',
  'queue',
  'identifier',
  'table',
  'row',
  'widget token',
  'JWE',
  'widget URL',
  'transcripts',
] as const;

/**
 * The token broker's steps: reachable and ready (`/healthz`, `/readyz`), CORS for the page's origin, a launch for the
 * conversation with an agent's token.
 *
 * @example
 * ```ts
 * BROKER_DOCTOR_STEPS.includes('broker CORS'); // true
 * ```
 */
export const BROKER_DOCTOR_STEPS: readonly DoctorStepName[] = ['broker health', 'broker CORS', 'broker launch'];

/**
 * One of {@link DOCTOR_STEPS}.
 *
 * @example
 * ```ts
 * const name: DoctorStepName = 'widget URL';
 * ```
 */
export type DoctorStepName = (typeof DOCTOR_STEPS)[number];

/**
 * The outcome of one doctor step. `detail` and `error.message` are redacted before they are printed.
 *
 * @example
 * ```ts
 * const step: DoctorStepResult = { step: 'row', status: 'fail', ms: 3, detail: '', error: { code: 'E_QUEUE_NOT_MAPPED', message: '…' } };
 * ```
 */
export interface DoctorStepResult {
  readonly step: DoctorStepName;
  readonly status: 'ok' | 'fail' | 'skip';
  readonly ms: number;
  readonly detail: string;
  readonly error?: {
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}
