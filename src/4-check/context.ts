import type { Model } from '../3-model/types.js';
import type { Report } from '../2-validate/context.js';

/** What a check sees: the model of an inventory that passed validation, and one way to report. */
export interface CheckContext {
  readonly model: Model;
  readonly report: Report;
}

/** A rule that judges what the model derives (zone records, …). One file per rule under rules/. */
export interface Rule {
  readonly name: string;
  check(ctx: CheckContext): void;
}
