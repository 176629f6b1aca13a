import { describe, expect, it } from 'vitest';
import { pickLabels, type Box } from './labels';

const box = (x: number, y: number, w = 100, h = 30): Box => ({ x1: x, y1: y, x2: x + w, y2: y + h });

describe('choosing labels that fit', () => {
  it('keeps the more important of two overlapping labels and drops the other', () => {
    const chosen = pickLabels([
      { id: 'pod', priority: 10, box: box(0, 0) },
      { id: 'service', priority: 400, box: box(50, 10) },
    ], []);
    expect([...chosen]).toEqual(['service']);
  });

  it('labels every CI when their labels do not touch', () => {
    const cands = Array.from({ length: 20 }, (_, i) => ({ id: `n${i}`, priority: i, box: box((i % 5) * 150, Math.floor(i / 5) * 60) }));
    expect(pickLabels(cands, []).size).toBe(20);
  });

  it('never writes a label over another drawn node, only over its own', () => {
    const chosen = pickLabels(
      [{ id: 'a', priority: 1, box: box(0, 40) }, { id: 'b', priority: 1, box: box(300, 40) }],
      [{ id: 'a', box: box(40, 0, 20, 45) }, { id: 'c', box: box(340, 50, 20, 20) }],
    );
    expect([...chosen]).toEqual(['a']);
  });

  it('labels far fewer of 5,000 crowded CIs than it is given, none of them overlapping', () => {
    const cands = Array.from({ length: 5000 }, (_, i) => ({ id: `n${i}`, priority: i % 7, box: box((i % 100) * 13, Math.floor(i / 100) * 16) }));
    const chosen = pickLabels(cands, []);
    const boxes = cands.filter((c) => chosen.has(c.id)).map((c) => c.box);
    expect(boxes.length).toBeGreaterThan(50);
    expect(boxes.length).toBeLessThan(1000);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        expect(a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2).toBe(false);
      }
    }
  });
});
