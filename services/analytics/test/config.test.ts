import { parseConfig } from '@echoplex/http';
import { describe, expect, it } from 'vitest';
import { analyticsConfig, analyticsOptionsFromConfig } from '../src/config';

describe('analytics config', () => {
  it('runs three reporting consumers unless told otherwise, and none when told 0', () => {
    expect(analyticsOptionsFromConfig(parseConfig(analyticsConfig, {}))).toEqual({ consumerMembers: 3 });
    const ingestOnly = parseConfig(analyticsConfig, { ANALYTICS_CONSUMER_MEMBERS: '0' });
    expect(analyticsOptionsFromConfig(ingestOnly)).toEqual({ consumerMembers: 0 });
  });

  it('refuses a count that is not a small whole number', () => {
    for (const value of ['-1', '1.5', 'many', '33']) {
      expect(() => parseConfig(analyticsConfig, { ANALYTICS_CONSUMER_MEMBERS: value })).toThrow(
        /ANALYTICS_CONSUMER_MEMBERS/,
      );
    }
  });
});
