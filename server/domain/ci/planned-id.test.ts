import { describe, expect, it } from 'vitest';
import { plannedClass, plannedId } from './planned-id';

const secret = Buffer.from('a test secret of thirty-two bytes');

describe('planned ids', () => {
  it('gives the same item the same id, and another item another', () => {
    const a = plannedId(secret, 'k8s', 'LinuxServer', 'Hardware|serialNumber=x');
    expect(plannedId(secret, 'k8s', 'LinuxServer', 'Hardware|serialNumber=x')).toBe(a);
    expect(plannedId(secret, 'k8s', 'LinuxServer', 'Hardware|serialNumber=y')).not.toBe(a);
  });

  it('says which class an id it issued was planned as, for the same source only', () => {
    const id = plannedId(secret, 'k8s', 'LinuxServer', 'Hardware|serialNumber=x');
    expect(plannedClass(secret, 'k8s', id)).toBe('LinuxServer');
    expect(plannedClass(secret, 'aws', id)).toBeUndefined();
  });

  it('refuses ids it did not issue: made up, re-classed, or from another secret', () => {
    const id = plannedId(secret, 'k8s', 'LinuxServer', 'Hardware|serialNumber=x');
    expect(plannedClass(secret, 'k8s', 'planned:ci_0123')).toBeUndefined();
    expect(plannedClass(secret, 'k8s', id.replace('LinuxServer', 'Application'))).toBeUndefined();
    expect(plannedClass(Buffer.from('another secret'), 'k8s', id)).toBeUndefined();
  });
});
