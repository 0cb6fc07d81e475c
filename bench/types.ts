export interface ScenarioResult {
  /** Why the scenario did not run, when it did not. */
  skipped?: string;
  figures?: Record<string, number | string | boolean>;
}

export interface Scenario {
  name: string;
  title: string;
  run(options: { quick: boolean }): ScenarioResult | Promise<ScenarioResult>;
}
