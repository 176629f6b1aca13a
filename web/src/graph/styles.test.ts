import cytoscape from 'cytoscape';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from './model';
import { buildStylesheet, FAMILY_STYLE, STATE_STYLE } from './styles';

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(',')})`;

describe('state styles', () => {
  it('draws a failed, down or degraded CI of every family with the state colour, not the family border', () => {
    const cy = cytoscape({ headless: true, styleEnabled: true, style: buildStylesheet() });
    for (const family of FAMILIES) {
      for (const state of ['FAILED', 'DOWN', 'DEGRADED'] as const) {
        const n = cy.add({ group: 'nodes', data: { id: `${family}-${state}`, family }, classes: `state-${state}` });
        n.select();
        expect(n.style('border-color')).toBe(rgb(STATE_STYLE[state].color));
        expect(n.style('border-style')).toBe(STATE_STYLE[state].border);
      }
      const plain = cy.add({ group: 'nodes', data: { id: family, family } });
      expect(plain.style('border-color')).toBe(rgb(FAMILY_STYLE[family].border));
    }
  });
});
