import { describe, expect, it } from 'vitest';
import { fillTemplate, riskAboveCeiling, targetsOutsideModel, type StandardChangeModel } from './standard-model';

const model: StandardChangeModel = {
  id: 'm',
  name: 'VM log rotation',
  description: null,
  classes: ['VirtualMachine'],
  environments: ['staging'],
  riskCeiling: 'LOW',
  templateFields: [{ name: 'backoutPlan', defaultValue: 'restore previous config' }, { name: 'ticket', defaultValue: null }],
  active: true,
};
const vm = { id: 'v', name: 'spare-vm', classPath: ['CI', 'Virtual', 'VirtualMachine'], environment: 'staging' };

describe('standard change models', () => {
  it('admits targets of its classes and environments, and names each that is not', () => {
    expect(targetsOutsideModel(model, [vm])).toEqual([]);
    const reasons = targetsOutsideModel(model, [{ ...vm, name: 'orders-db', classPath: ['CI', 'Data', 'Database'] }, { ...vm, name: 'prod-vm', environment: 'production' }]);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toContain('orders-db is a Database');
    expect(reasons[1]).toContain('prod-vm is in production');
  });

  it('refuses a risk above its ceiling, with the level and the ceiling', () => {
    expect(riskAboveCeiling(model, 'LOW', 10)).toBeNull();
    expect(riskAboveCeiling(model, 'MEDIUM', 49)).toMatch(/MEDIUM \(49\).*ceiling LOW/);
  });

  it('fills template fields from defaults and lists those still missing', () => {
    expect(fillTemplate(model, { ticket: 'T-1' })).toEqual({ values: { backoutPlan: 'restore previous config', ticket: 'T-1' }, missing: [] });
    expect(fillTemplate(model, { bogus: 'x' }).missing).toEqual(['ticket', 'bogus (not a field of the model)']);
  });
});
