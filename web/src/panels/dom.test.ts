import { describe, expect, it } from 'vitest';
import { nameParts } from './dom';

describe('nameParts', () => {
  it('cuts a class and attribute after the dot, keeping each word whole', () => {
    expect(nameParts('ApplicationService.criticality')).toEqual(['ApplicationService.', 'criticality']);
  });

  it('cuts an identification key after each separator but not inside a run of them', () => {
    expect(nameParts('LinuxServer:serialNumber=SN_1..x')).toEqual(['LinuxServer:', 'serialNumber=SN_', '1..', 'x']);
  });

  it('leaves a plain name in one piece', () => {
    expect(nameParts('orders-db-primary')).toEqual(['orders-db-primary']);
  });
});
