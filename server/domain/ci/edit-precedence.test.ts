import { describe, expect, it } from 'vitest';
import { editWarnings } from './edit-precedence';

const cloud = () => ['aws', 'gcp', 'manual'];

describe('editWarnings', () => {
  it('warns when the source that set the field outranks the editor for it', () => {
    const w = editWarnings('CloudBucket', ['region'], 'manual', () => 'aws', cloud);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ field: 'region' });
    expect(w[0]!.reason).toMatch(/aws ranks above manual/);
  });

  it('says nothing for a field nobody set, one the editor set, or one set by a source the editor outranks', () => {
    expect(editWarnings('CloudBucket', ['description'], 'manual', () => undefined, cloud)).toEqual([]);
    expect(editWarnings('CloudBucket', ['region'], 'manual', () => 'manual', cloud)).toEqual([]);
    expect(editWarnings('LinuxServer', ['os'], 'manual', () => 'aws', () => ['manual', 'aws'])).toEqual([]);
  });

  it('treats an editor missing from the order as ranked below every listed source', () => {
    expect(editWarnings('Process', ['cmd'], 'manual', () => 'localhost', () => ['localhost'])).toHaveLength(1);
  });
});
