/**
 * What a launched issue asks of its run (from the hidden launch marker in its body, see
 * src/core/domain/launch-marker.ts): the family it must run on, the model, deadline and limits.
 */
export interface LaunchPreference {
  /** The saved configuration the issue was launched from. */
  readonly config: string;
  readonly family: string;
  readonly model?: string;
  readonly deadlineSeconds?: number;
  readonly maxTurns?: number;
  readonly budgetUsd?: number;
}
