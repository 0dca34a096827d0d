/**
 * An in-memory AgentApi for tests of the wire layer: each method answers what the test set up and
 * records the arguments it received. Unset methods throw, so a test sees at once what it forgot.
 */
import { AgentApi } from '../../src/api/service';
import { API_METHODS, ApiMethod } from '../../src/api/mapping/calls';

export interface FakeAgent {
  api: AgentApi;
  /** Arguments of every call received, trailing undefined arguments left out. */
  calls: { method: ApiMethod; args: unknown[] }[];
}

export function fakeAgent(answers: Partial<AgentApi> = {}): FakeAgent {
  const calls: FakeAgent['calls'] = [];
  const api = Object.fromEntries(API_METHODS.map((method) => [method, async (...args: unknown[]) => {
    while (args.length && args[args.length - 1] === undefined) args.pop();
    calls.push({ method, args });
    const answer = answers[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (!answer) throw new Error(`fake agent: ${method} is not set up`);
    return answer(...args);
  }])) as unknown as AgentApi;
  return { api, calls };
}
